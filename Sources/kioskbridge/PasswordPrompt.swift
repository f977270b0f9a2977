#if canImport(Glibc)
import Glibc
#endif

/// Asks for a password on the terminal without showing it; reads a line from standard
/// input when that is not a terminal (a script, `printf '%s\n' "$PW" | kioskbridge ...`).
enum PasswordPrompt {
    static func read(_ prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        write(STDERR_FILENO, prompt, prompt.utf8.count)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            write(STDERR_FILENO, "\n", 1)
        }
        return readLine(strippingNewline: true)
    }
}
