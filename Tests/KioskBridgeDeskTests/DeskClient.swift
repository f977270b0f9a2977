import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 client for the desk's route tests: one request per connection, no
/// redirects followed, cookies kept by hand, so that every status and header is seen as
/// the browser would get it.
///
/// The sockets block, so each request runs on a dispatch thread: blocking the tests' own
/// (cooperative) threads could leave the server under test none to answer with.
final class DeskClient: @unchecked Sendable {
    struct Response {
        let status: Int
        let headers: [(String, String)]
        let body: String

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        func headers(_ name: String) -> [String] {
            headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
        }

        /// The value of `name="token"` in the page's first form.
        var formToken: String? {
            guard let range = body.range(of: #"name="token" value=""#) else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    let port: Int
    var cookie: String?

    init(port: Int) {
        self.port = port
    }

    func get(_ path: String) async throws -> Response {
        try await send("GET \(path) HTTP/1.1\r\n", body: nil)
    }

    func post(_ path: String, form: [(String, String)]) async throws -> Response {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return try await send("POST \(path) HTTP/1.1\r\n", body: body)
    }

    /// Logs in and keeps the session cookie.
    @discardableResult
    func login(_ name: String, _ password: String) async throws -> Response {
        let response = try await post("/login", form: [("name", name), ("password", password)])
        if let set = response.header("Set-Cookie"), let pair = set.split(separator: ";").first {
            cookie = String(pair)
        }
        return response
    }

    struct ConnectionError: Error { let what: String }

    private func send(_ requestLine: String, body: String?) async throws -> Response {
        let cookie = self.cookie
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.exchange(port: self.port, cookie: cookie, requestLine: requestLine, body: body) })
            }
        }
    }

    private static func exchange(port: Int, cookie: String?, requestLine: String, body: String?) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ConnectionError(what: "socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ConnectionError(what: "connect to port \(port)") }
        var text = requestLine + "Host: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let cookie { text += "Cookie: \(cookie)\r\n" }
        if let body {
            text += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        } else {
            text += "\r\n"
        }
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw ConnectionError(what: "send") }
            sent += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let whole = String(decoding: received, as: UTF8.self)
        guard let split = whole.range(of: "\r\n\r\n") else { throw ConnectionError(what: "no HTTP response") }
        let head = whole[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(head.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Response(status: status, headers: headers, body: String(whole[split.upperBound...]))
    }
}
