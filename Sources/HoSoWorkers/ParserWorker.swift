import Foundation
import Glibc
import HoSoImaging
import HoSoSignature

/// The worker's side of the isolation: what `hoso parse-worker` runs. It reads its setup, limits its own
/// memory, then answers one request per line until its parent closes the pipe.
///
/// A file that crashes a decoder, or makes it allocate past the limit, ends this process; the parent
/// sees the pipe close, answers that request with `crashed`, and starts another worker.
public enum ParserWorker {
    /// Serves requests on standard input and output; returns the exit status.
    public static func run() -> Int32 {
        // Replies go to a private copy of standard output; standard output itself then points at
        // standard error, so nothing a library prints can be taken for a reply.
        let replies = dup(1)
        dup2(2, 1)
        ResourceLimits.forbidCoreFiles()
        var requests = LineReader(0)
        guard case .line(let first) = requests.next(),
              let setup = try? JSONDecoder().decode(WorkerSetup.self, from: Data(first)) else {
            FileHandle.standardError.write(Data("hoso parse-worker: the first line must be the worker's setup\n".utf8))
            return 64
        }
        ResourceLimits.limitMemory(to: setup.memoryBytes)
        let normalizer = setup.normalizer
        let verifier = SignatureVerifier(trust: TrustStore(
            anchors: setup.trustAnchors.map { URL(fileURLWithPath: $0) }, crls: setup.trustCRLs.map { URL(fileURLWithPath: $0) }))
        let decoder = JSONDecoder(), encoder = JSONEncoder()
        while case .line(let line) = requests.next() {
            let request: WorkerRequest
            do { request = try decoder.decode(WorkerRequest.self, from: Data(line)) } catch {
                FileHandle.standardError.write(Data("hoso parse-worker: not a request: \(error)\n".utf8))
                return 65
            }
            ResourceLimits.allowCPU(seconds: setup.cpuSeconds)
            let reply = answer(request, normalizer: normalizer, verifier: verifier)
            guard let encoded = try? encoder.encode(reply), writeAll(Array(encoded) + [UInt8(ascii: "\n")], to: replies) else {
                return 74
            }
        }
        return 0
    }

    static func answer(_ request: WorkerRequest, normalizer: Normalizer, verifier: SignatureVerifier) -> WorkerReply {
        switch request {
        case .normalize(let job):
            do {
                return .normalized(try normalizer.normalize(
                    URL(fileURLWithPath: job.input), pdf: URL(fileURLWithPath: job.pdf), thumbnail: URL(fileURLWithPath: job.thumbnail),
                    title: job.title, selection: job.selection))
            } catch {
                return .refused(error)
            }
        case .verify(let file):
            do { return .verified(try verifier.verify(URL(fileURLWithPath: file))) } catch {
                return .unreadable("\(error)")
            }
        }
    }
}
