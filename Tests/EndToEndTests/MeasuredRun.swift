import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the executable with its output going to files (never into this process's memory)
/// and measures its peak resident memory.
///
/// The peak comes from GNU time (`/usr/bin/time -f %M`, Debian's package `time`), which
/// forks the command itself and reads it from wait4(2). A child of this (large) test
/// process cannot be measured directly: Linux carries the parent's peak into a child's
/// `ru_maxrss` across exec.
struct MeasuredRun {
    static let time = "/usr/bin/time"
    static var canMeasureMemory: Bool { FileManager.default.isExecutableFile(atPath: time) }

    let status: Int32
    let peakResidentMB: Double
    let stdoutBytes: Int
    let stderrBytes: Int
    let stdoutPath: String
    let stderrPath: String

    /// The first bytes of standard output, as text.
    func stdoutPrefix(_ count: Int = 64 * 1024) -> String {
        guard let handle = FileHandle(forReadingAtPath: stdoutPath) else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.read(upToCount: count)) ?? Data(), as: UTF8.self)
    }

    static func run(_ arguments: [String], outputFolder: URL) -> MeasuredRun {
        let stdoutPath = outputFolder.appendingPathComponent("stdout-\(UUID().uuidString)").path
        let stderrPath = outputFolder.appendingPathComponent("stderr-\(UUID().uuidString)").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let peakPath = outputFolder.appendingPathComponent("peak-\(UUID().uuidString)").path
        let executable = BridgeFixture.executable.path
        let argv = ([time, "-f", "%M", "-o", peakPath, executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "KIOSKBRIDGE_CONFIG" }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, time, &actions, nil, argv, environment) == 0 else {
            return MeasuredRun(status: -1, peakResidentMB: 0, stdoutBytes: 0, stderrBytes: 0, stdoutPath: stdoutPath, stderrPath: stderrPath)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        func size(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0 }
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        // GNU time writes "Command exited with non-zero status N" before the figure when N > 0.
        let peakText = (try? String(contentsOfFile: peakPath, encoding: .utf8)) ?? ""
        let peakKB = peakText.split(separator: "\n").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? .infinity
        return MeasuredRun(status: exit, peakResidentMB: peakKB / 1024, stdoutBytes: size(stdoutPath),
                           stderrBytes: size(stderrPath), stdoutPath: stdoutPath, stderrPath: stderrPath)
    }
}

extension BridgeFixture {
    /// `kioskbridge <arguments> --config <file> --now <now> --json`, measured.
    func measured(_ arguments: [String], now: String = "2026-11-21T14:20:00+01:00") -> MeasuredRun {
        MeasuredRun.run(arguments + ["--config", config, "--now", now, "--json"], outputFolder: root)
    }

    /// Writes a large file without holding it: `head`, then `count` bytes of `filler`, then `tail`.
    func writeLarge(_ url: URL, head: String, filler: UInt8, count: Int, tail: String) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(head.utf8))
        let chunk = Data(repeating: filler, count: 1 << 20)
        var left = count
        while left > 0 {
            let part = min(left, chunk.count)
            try handle.write(contentsOf: part == chunk.count ? chunk : chunk.prefix(part))
            left -= part
        }
        try handle.write(contentsOf: Data(tail.utf8))
    }
}
