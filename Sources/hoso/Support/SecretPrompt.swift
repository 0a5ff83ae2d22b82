import Foundation
import Glibc

/// Asks for a secret on the controlling terminal with echo off, as `passwd` and `ssh` do: the prompt and
/// the typing go to and from `/dev/tty`, never standard output, and the terminal's settings come back
/// whatever happens. Nil when the process has no terminal (a script, a service): such callers must give
/// the secret in a file.
enum SecretPrompt {
    static func ask(_ prompt: String) -> String? {
        let tty = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard tty >= 0 else { return nil }
        defer { close(tty) }
        var saved = termios()
        guard isatty(tty) == 1, tcgetattr(tty, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        guard tcsetattr(tty, TCSAFLUSH, &quiet) == 0 else { return nil }
        defer { _ = tcsetattr(tty, TCSAFLUSH, &saved) }
        _ = prompt.withCString { write(tty, $0, strlen($0)) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(tty, &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }
}
