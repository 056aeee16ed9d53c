import Foundation
import XCTest
import ConvNet

/// Kill -9 at random moments while a run saves a checkpoint after every (tiny)
/// epoch: the file on disk is always a whole checkpoint, and each run resumes
/// from the last one, never going backwards.
final class ReliabilityTests: XCTestCase {
    func testSigkillDuringSavesNeverLeavesAHalfFile() throws {
        guard let data = Binary.dataDirectory else { throw XCTSkip("set DIGITS_DATA to run the kill test") }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let checkpoint = dir + "/k.checkpoint.safetensors"
        var rng = RNG(seed: 9)
        var lastEpoch = 0, kills = 0
        for round in 0..<15 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Binary.path)
            // 512 optdigits images in one batch: an epoch takes milliseconds, so saves never stop.
            p.arguments = round == 0 || !FileManager.default.fileExists(atPath: checkpoint)
                ? ["train", "--model", "seed002", "--dataset", "optdigits", "--limit", "512", "--batch-size", "512",
                   "--epochs", "100000", "--out", dir + "/k.safetensors"]
                : ["train", "--resume", checkpoint, "--out", dir + "/k.safetensors"]
            p.environment = ProcessInfo.processInfo.environment.merging(["DIGITS_DATA": data]) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(300_000 + rng.below(700_000)))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            kills += 1
            guard FileManager.default.fileExists(atPath: checkpoint) else { continue }
            let (_, file) = try WeightsFile.load(checkpoint)    // throws on any torn file
            let epoch = Int(file.meta("checkpoint_epoch") ?? "") ?? -1
            XCTAssertGreaterThanOrEqual(epoch, lastEpoch, "round \(round): the checkpoint went backwards")
            lastEpoch = epoch
        }
        XCTAssertGreaterThan(lastEpoch, 10, "the runs made progress across \(kills) kills")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        XCTAssertLessThanOrEqual(leftovers.count, 2, "stale temporary files are cleaned up: \(leftovers)")
        print("survived \(kills) SIGKILLs; checkpoint at epoch \(lastEpoch)")
    }

    /// A full disk (a 256 KB tmpfs): one clear line, and no partial file left behind.
    func testFullDiskIsReportedAndLeavesNothingHalfWritten() throws {
        guard let data = Binary.dataDirectory else { throw XCTSkip("set DIGITS_DATA to run the full-disk test") }
        let mnt = try temporaryDirectory()
        defer { _ = system("umount '\(mnt)' 2>/dev/null"); try? FileManager.default.removeItem(atPath: mnt) }
        guard system("mount -t tmpfs -o size=256k tmpfs '\(mnt)' 2>/dev/null") == 0 else {
            throw XCTSkip("cannot mount a small tmpfs here (needs root)")
        }
        let r = try Binary.run(["train", "--model", "seed003", "--epochs", "1", "--limit", "200", "--out", mnt + "/m.safetensors"],
                               env: ["DIGITS_DATA": data])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot write: No space left on device"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").filter { $0.hasPrefix("digits:") }.count, 1, r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mnt), [], "no partial or temporary file remains")
    }
}
