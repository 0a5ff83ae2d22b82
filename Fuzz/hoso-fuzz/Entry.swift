import Foundation

#if HOSO_FUZZ
import CFuzzer

/// libFuzzer's target function: one input for the target `HOSO_FUZZ_TARGET` names.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// The fuzzing build's entry point (`make fuzz`: `-sanitize=fuzzer,address -parse-as-library`): SwiftPM
/// links an executable's `main` to `hoso_fuzz_main`, which hands the command line to libFuzzer's driver.
@_cdecl("hoso_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    _ = FuzzTarget.selected
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
/// Without libFuzzer: `hoso-fuzz <target> <file>...` runs the target once on each file (a crash libFuzzer
/// saved, replayed under a debugger) and says so.
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: hoso-fuzz <\(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|"))> <file>...\n".utf8))
            exit(64)
        }
        for path in arguments.dropFirst() {
            guard let bytes = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("hoso-fuzz: \(path): cannot be read\n".utf8))
                exit(66)
            }
            target.run(Array(bytes))
            print("\(path): ran \(target.rawValue)")
        }
    }
}
#endif
