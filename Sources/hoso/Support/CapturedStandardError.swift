import Foundation

/// Runs `body` with file descriptor 2 sent to a temporary file and returns what was written there:
/// libraries that print their own diagnostics (libp11 does) then cannot break HoSo's one-line errors;
/// the caller decides what of it to show. Not for use while other threads write to stderr.
func capturingStandardError<T, E: Error>(_ body: () throws(E) -> T) -> (result: Result<T, E>, captured: String) {
    guard let file = tmpfile() else { return (Result { () throws(E) in try body() }, "") }
    defer { fclose(file) }
    fflush(nil)
    let saved = dup(STDERR_FILENO)
    dup2(fileno(file), STDERR_FILENO)
    let result = Result { () throws(E) in try body() }
    fflush(nil)
    dup2(saved, STDERR_FILENO)
    close(saved)
    rewind(file)
    var captured = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while case let count = fread(&buffer, 1, buffer.count, file), count > 0 { captured.append(contentsOf: buffer[..<count]) }
    return (result, String(decoding: captured, as: UTF8.self))
}
