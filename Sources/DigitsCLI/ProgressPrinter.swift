import ConvNet
import DigitData
import Glibc

/// Training progress on stderr: a redrawn bar on a terminal, plain lines otherwise
/// (every 10 seconds and at each epoch's end) so logs stay readable.
final class ProgressPrinter {
    let tty = isatty(2) != 0
    private var lastDraw = 0.0
    private var lastLine = 0.0

    func update(_ p: TrainingProgress, label: String = "") {
        let prefix = label.isEmpty ? "" : label + " "
        let t = now()
        if tty {
            guard t - lastDraw >= 0.1 || p.batch == p.batches else { return }
            lastDraw = t
            let width = 28
            let filled = Int(Double(width) * Double(p.seen) / Double(max(p.total, 1)))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = prefix + "epoch \(p.epoch)/\(p.epochs) \(bar) \(p.batch)/\(p.batches)  \(Int(p.imagesPerSecond)) img/s  ETA \(Format.duration(p.eta))  loss \(Format.fixed(p.loss, 4))  acc \(Format.percent(p.accuracy))"
            fputs("\r\u{1B}[2K" + line, stderr)
        } else {
            guard t - lastLine >= 10 else { return }
            lastLine = t
            fputs(prefix + "epoch \(p.epoch)/\(p.epochs) batch \(p.batch)/\(p.batches) \(Int(p.imagesPerSecond)) img/s ETA \(Format.duration(p.eta)) loss \(Format.fixed(p.loss, 4)) acc \(Format.percent(p.accuracy))\n", stderr)
        }
    }

    func epochEnded(_ r: EpochRecord, epochs: Int) {
        if tty { fputs("\r\u{1B}[2K", stderr) }
        var line = "epoch \(r.epoch)/\(epochs)  \(Format.duration(r.seconds))  \(Int(r.imagesPerSecond)) img/s  loss \(Format.fixed(r.trainLoss, 4))  acc \(Format.percent(r.trainAccuracy))"
        if let vl = r.validationLoss, let va = r.validationAccuracy {
            line += "  val_loss \(Format.fixed(vl, 4))  val_acc \(Format.percent(va))"
        }
        fputs(line + "\n", stderr)
        lastLine = now()
    }

    func clear() { if tty { fputs("\r\u{1B}[2K", stderr) } }
}

/// Ctrl-C during training: the first stops after the current batch, a second one
/// ends the process at once.
enum Interrupt {
    nonisolated(unsafe) static let flag: UnsafeMutablePointer<sig_atomic_t> = {
        let p = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    static var requested: Bool { flag.pointee != 0 }

    static func install() {
        _ = flag
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if Interrupt.flag.pointee != 0 { _exit(130) }
            Interrupt.flag.pointee = 1
        }
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }
}
