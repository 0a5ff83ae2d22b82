// A child process for the crash tests: stores one file (a pipe, in the tests) into a blob store with
// HoSo's real LocalBlobStore, so the test can kill it in the middle of the write.
import Foundation
import HoSoBlobs

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: hoso-test-blob-writer BLOB_ROOT FILE\n".utf8))
    exit(64)
}
do {
    let store = try LocalBlobStore(root: URL(fileURLWithPath: arguments[1], isDirectory: true))
    let blob = try await store.store(contentsOf: URL(fileURLWithPath: arguments[2]))
    print(blob.digest.hex)
} catch {
    FileHandle.standardError.write(Data("hoso-test-blob-writer: \(error)\n".utf8))
    exit(74)
}
