import ConvNet
import DigitData

/// The whole state of the drawing app, and how input changes it. Input handlers
/// only change state; `Renderer` draws the screen from it afterwards (htop's rule).
public final class App {
    // Drawing.
    public var canvas = Canvas()
    public var eraser = false
    public var cursor = (x: 14, y: 14)
    public var penDown = false
    public var keyboardUsed = false
    var mouseStroke: (erase: Bool, active: Bool) = (false, false)

    // The model and what it reads.
    public private(set) var model: LiveModel
    public private(set) var reading: Reading?
    var canvasChanged = true
    public var selectedLayer = 0
    public var channelPage = 0

    // Overlays and views.
    public enum Overlay {
        case menu(selected: Int)
        case form(Form, FormPurpose)
        case message(title: String, lines: [String])
        case confirmQuit
        case trainingDone(accuracy: Double)
    }
    public enum FormPurpose { case retrain, load, save }
    public var overlay: Overlay?
    public enum LowerView { case maps, training }
    public var lowerView = LowerView.maps
    public var notice: (text: String, isError: Bool)?

    // Background work.
    public private(set) var training: TrainingSession?
    var evaluation: EvaluationJob?
    public var unsavedModel = false
    /// The canvas as last saved with `p` (nil: never), so quitting knows whether to ask.
    var savedDrawing: [Float]?
    public var unsavedDrawing: Bool { !canvas.isEmpty && savedDrawing != canvas.pixels }
    public let dataOption: String?

    // Instrumentation.
    public var debug = false
    public var latency = LatencyLog()
    public var lastFrameSeconds = 0.0
    public var quit = false
    public var layout = Layout(width: 120, height: 40)

    public init(model: LiveModel, dataOption: String? = nil) {
        self.model = model
        self.dataOption = dataOption
    }

    public static let menuItems: [(label: String, key: String)] = [
        ("Retrain…", "F2"), ("Evaluate on the test set", "F3"), ("Load weights…", "F4"),
        ("Save weights as…", "F5"), ("Model summary", "F6"), ("Help", "F1"), ("Quit", "q"),
    ]

    // MARK: - Input

    public func handle(_ event: InputEvent) {
        switch event {
        case let .resize(w, h):
            layout = Layout(width: w, height: h)
        case let .key(k):
            if overlay != nil { handleOverlayKey(k) } else { handleKey(k) }
        case let .mouse(col, row, button, action):
            guard overlay == nil, !layout.tooSmall else { return }
            handleMouse(col, row, button, action)
        }
    }

    func handleKey(_ key: Key) {
        notice = nil
        switch key {
        case .char("q"), .function(10), .ctrl("c"), .ctrl("d"): requestQuit()
        case .char("m"), .function(9): overlay = .menu(selected: 0)
        case .function(1), .char("?"): showHelp()
        case .function(2), .char("r"): openRetrain()
        case .function(3): startEvaluation()
        case .function(4), .char("o"): openForm(.load)
        case .function(5), .char("s"): openForm(.save)
        case .function(6): showSummary()
        case .char("p"): saveDrawing()
        case .function(12), .char("D"): debug.toggle()
        case .tab: cycleLayer(1)
        case .backTab: cycleLayer(-1)
        case .pageDown, .char(">"): channelPage += 1
        case .pageUp, .char("<"): channelPage = max(0, channelPage - 1)
        case .char("t"):
            if training != nil { lowerView = lowerView == .maps ? .training : .maps }
        case .char("c"): canvas.clear(); penDown = false; canvasChanged = true
        case .char("u"): canvas.undo(); penDown = false; canvasChanged = true
        case .char("e"): eraser.toggle(); if penDown { canvas.end(); startPen() }
        case .char("["): canvas.brushRadius = max(Canvas.brushRange.lowerBound, canvas.brushRadius - 0.2)
        case .char("]"): canvas.brushRadius = min(Canvas.brushRange.upperBound, canvas.brushRadius + 0.2)
        case .char(" "), .enter:
            keyboardUsed = true
            if penDown { penDown = false; canvas.end() } else { startPen() }
        case .up, .char("k"): moveCursor(0, -1)
        case .down, .char("j"): moveCursor(0, 1)
        case .left, .char("h"): moveCursor(-1, 0)
        case .right, .char("l"): moveCursor(1, 0)
        case .escape:
            if penDown { penDown = false; canvas.end() }
            else if lowerView == .training, let t = training, !t.isDone { t.cancel(); notice = ("cancelling after the current batch…", false) }
        default: break
        }
    }

    func startPen() {
        penDown = true
        canvas.begin(at: Float(cursor.x) + 0.5, Float(cursor.y) + 0.5, erase: eraser)
        canvasChanged = true
    }

    func moveCursor(_ dx: Int, _ dy: Int) {
        keyboardUsed = true
        cursor.x = min(max(cursor.x + dx, 0), Canvas.size - 1)
        cursor.y = min(max(cursor.y + dy, 0), Canvas.size - 1)
        if penDown {
            canvas.extend(to: Float(cursor.x) + 0.5, Float(cursor.y) + 0.5, erase: eraser)
            canvasChanged = true
        }
    }

    func handleMouse(_ col: Int, _ row: Int, _ button: MouseButton, _ action: MouseAction) {
        switch action {
        case .press:
            guard let p = layout.pixel(atColumn: col, row: row) else {
                mouseStroke.active = false
                return
            }
            notice = nil
            let erase = button == .right || eraser
            mouseStroke = (erase, true)
            canvas.begin(at: p.x, p.y, erase: erase)
            canvasChanged = true
        case .drag, .move:
            // Without a press first (a move report), there is nothing to draw.
            guard mouseStroke.active else { return }
            let p = layout.clampedPixel(atColumn: col, row: row)
            canvas.extend(to: p.x, p.y, erase: mouseStroke.erase)
            canvasChanged = true
        case .release:
            if mouseStroke.active {
                if layout.pixel(atColumn: col, row: row) != nil {
                    let p = layout.clampedPixel(atColumn: col, row: row)
                    canvas.extend(to: p.x, p.y, erase: mouseStroke.erase)
                    canvasChanged = true
                }
                canvas.end()
            }
            mouseStroke.active = false
        }
    }

    func cycleLayer(_ d: Int) {
        let n = model.convLayerNames.count
        guard n > 0 else { return }
        selectedLayer = (selectedLayer + d + n) % n
        channelPage = 0
        lowerView = .maps
    }

    // MARK: - Overlays

    func handleOverlayKey(_ key: Key) {
        guard let o = overlay else { return }
        switch o {
        case let .menu(selected):
            switch key {
            case .up, .char("k"): overlay = .menu(selected: (selected + App.menuItems.count - 1) % App.menuItems.count)
            case .down, .char("j"): overlay = .menu(selected: (selected + 1) % App.menuItems.count)
            case .escape, .char("m"): overlay = nil
            case .enter: overlay = nil; runMenuItem(selected)
            case .ctrl("c"): overlay = nil; requestQuit()
            case let .function(n) where (1...6).contains(n) || n == 10:
                overlay = nil; handleKey(key)
            case .char("q"): overlay = nil; requestQuit()
            default: break
            }
        case .form(var form, let purpose):
            switch form.handle(key) {
            case .cancel: overlay = nil
            case .none: overlay = .form(form, purpose)
            case .submit: submit(form, purpose)
            }
        case .message:
            switch key {
            case .escape, .enter, .char("q"), .char(" "): overlay = nil
            case .ctrl("c"): overlay = nil; requestQuit()
            default: break
            }
        case .confirmQuit:
            switch key {
            case .char("s") where unsavedModel, .char("S") where unsavedModel: overlay = nil; openForm(.save, quitAfter: true)
            case .char("p") where unsavedDrawing, .char("P") where unsavedDrawing:
                saveDrawing()
                overlay = unsavedModel ? .confirmQuit : nil
                if !unsavedModel { quit = true }
            case .char("q"), .char("Q"), .char("y"), .ctrl("c"): quit = true
            case .escape, .char("n"), .char("c"): overlay = nil
            default: break
            }
        case .trainingDone:
            switch key {
            case .char("k"), .char("K"), .enter, .char("y"): keepTrainedModel()
            case .char("d"), .char("D"), .escape, .char("n"):
                overlay = nil; training = nil; lowerView = .maps
                notice = ("the new model was discarded; the previous one stays", false)
            default: break
            }
        }
    }

    var quitAfterSave = false

    func runMenuItem(_ i: Int) {
        switch i {
        case 0: openRetrain()
        case 1: startEvaluation()
        case 2: openForm(.load)
        case 3: openForm(.save)
        case 4: showSummary()
        case 5: showHelp()
        default: requestQuit()
        }
    }

    func requestQuit() {
        if unsavedModel || unsavedDrawing { overlay = .confirmQuit } else { quit = true }
    }

    /// Writes the canvas as a 28×28 PNG (white ink on black, like MNIST) in the
    /// current directory; `digits predict` reads it back.
    func saveDrawing() {
        guard !canvas.isEmpty else { notice = ("nothing to save: the canvas is empty", true); return }
        let path = "drawing-\(Timestamp.compact())-\(Timestamp.seconds() % 100).png"
        do {
            try ImageIO.writePNG(canvas.pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }, width: Canvas.size, height: Canvas.size, channels: 1, to: path)
            savedDrawing = canvas.pixels
            notice = ("saved the drawing as \(path)", false)
        } catch {
            notice = ("\(error)", true)
        }
    }

    public func openRetrain() {
        if let t = training, !t.isDone {
            notice = ("training is already running (t shows it, Esc in its panel cancels)", true)
            return
        }
        let models = ["digitnet", "seed000", "seed001", "seed003", "seed004"]
        overlay = .form(Form(title: "Retrain on MNIST", fields: [
            .init(label: "model", kind: .choice(models), value: "seed003"),
            .init(label: "epochs", kind: .integer(1...200), value: "1"),
            .init(label: "batch size", kind: .integer(1...4096), value: "64"),
            .init(label: "learning rate", kind: .number(1e-6...10), value: "0.001"),
            .init(label: "optimizer", kind: .choice(["adam", "sgd", "adadelta"]), value: "adam"),
            .init(label: "validation split", kind: .number(0...0.5), value: "0.1"),
            .init(label: "augment", kind: .toggle, value: "no"),
            // A fresh seed each time, shown so that a run can be repeated exactly.
            .init(label: "seed", kind: .integer(0...999_999_999), value: "\(Timestamp.seconds() % 1_000_000)"),
        ], submitLabel: "Enter: start training · Esc: cancel"), .retrain)
    }

    func openForm(_ purpose: FormPurpose, quitAfter: Bool = false) {
        quitAfterSave = quitAfter
        switch purpose {
        case .load:
            overlay = .form(Form(title: "Load weights", fields: [.init(label: "file", kind: .text, value: "")],
                                 submitLabel: "Enter: load · Esc: cancel"), .load)
        case .save:
            overlay = .form(Form(title: "Save weights as", fields: [
                .init(label: "file", kind: .text, value: "\(model.name)-\(Timestamp.compact()).safetensors")],
                submitLabel: "Enter: save · Esc: cancel"), .save)
        case .retrain: openRetrain()
        }
    }

    func submit(_ form: Form, _ purpose: FormPurpose) {
        switch purpose {
        case .retrain:
            var s = TrainingSettings()
            s.epochs = Int(form.value("epochs"))!
            s.batchSize = Int(form.value("batch size"))!
            s.learningRate = Float(form.value("learning rate"))!
            s.optimizer = OptimizerKind(rawValue: form.value("optimizer")) ?? .adam
            s.validationSplit = Double(form.value("validation split"))!
            s.augment = form.value("augment") == "yes"
            s.seed = UInt64(form.value("seed"))!
            do {
                training = try TrainingSession(request: RetrainRequest(model: form.value("model"), settings: s), dataOption: dataOption)
                overlay = nil
                lowerView = .training
            } catch {
                var f = form; f.error = "\(error)"
                overlay = .form(f, purpose)
            }
        case .load:
            let path = expandTilde(form.value("file"))
            do {
                let m = try LiveModel.load(path)
                replaceModel(m)
                unsavedModel = false
                overlay = nil
                notice = ("loaded \(path)", false)
            } catch {
                var f = form; f.error = "\(error)"
                overlay = .form(f, purpose)
            }
        case .save:
            let path = expandTilde(form.value("file"))
            do {
                try WeightsFile.save(model.network, metadata: model.metadata, to: path)
                unsavedModel = false
                overlay = nil
                notice = ("saved \(path)", false)
                if quitAfterSave { quit = true }
            } catch {
                var f = form; f.error = "\(error)"
                overlay = .form(f, purpose)
            }
        }
    }

    func replaceModel(_ m: LiveModel) {
        model = m
        selectedLayer = min(selectedLayer, max(0, m.convLayerNames.count - 1))
        channelPage = 0
        canvasChanged = true
    }

    func keepTrainedModel() {
        guard let t = training, let m = try? LiveModel(network: t.network, source: "trained in this session", metadata: t.metadata) else { return }
        replaceModel(m)
        training = nil
        lowerView = .maps
        unsavedModel = true
        // Ask where to save it right away; Esc keeps it unsaved (quitting will ask again).
        openForm(.save)
        notice = ("the new model is live; save it now or later with F5", false)
    }

    func startEvaluation() {
        evaluation = EvaluationJob(network: model.network, dataOption: dataOption)
        notice = ("evaluating \(model.name) on the MNIST test set…", false)
    }

    func showHelp() {
        overlay = .message(title: "Help", lines: [
            "Draw a digit: press and drag with the left mouse button; the right",
            "button erases. The network reads the drawing on every change.",
            "",
            "Keyboard alone: arrows or h j k l move the cursor, space (or Enter)",
            "puts the pen down or lifts it, e toggles the eraser, [ and ] change",
            "the brush size, c clears, u undoes the last stroke.",
            "",
            "Tab / Shift-Tab   next / previous convolution layer's feature maps",
            "PgDn / PgUp       more channels of that layer (also > and <)",
            "m or F9           menu          F2 or r   retrain",
            "F3                evaluate      F4 or o   load weights",
            "F5 or s           save as       F6        model summary",
            "t                 training panel / feature maps while training",
            "F12               timing overlay (per-stroke latency)",
            "p                 save the drawing as a 28×28 PNG",
            "q, F10, Ctrl-C    quit (asks first about an unsaved drawing or model)",
            "",
            "The \"network sees\" panel is the drawing after MNIST's own",
            "normalisation: cropped, scaled to 20 px, centred by mass in 28×28.",
        ])
    }

    func showSummary() {
        var lines = ["\(model.name): \(model.network.spec)", ""]
        for (name, layer) in zip(model.network.layerNames, model.network.layers) {
            lines.append("\(name) (\(layer.kind))".padding(32) + layer.outputShape.description.padding(16) + Format.thousands(layer.parameterCount))
        }
        lines.append("")
        lines.append("total parameters: \(Format.thousands(model.network.parameterCount))")
        if let a = model.testAccuracy { lines.append("test accuracy recorded in the file: \(String(format2: a * 100)) %") }
        lines.append("source: \(model.source)")
        overlay = .message(title: "Model summary", lines: lines)
    }

    // MARK: - Per-frame work

    /// Runs the network if the drawing changed, and collects background results.
    /// Called by the event loop after input, before drawing.
    public func update() {
        if canvasChanged {
            reading = model.read(canvas)
            canvasChanged = false
        }
        if let job = evaluation {
            switch job.phase {
            case .running: break
            case let .done(e):
                evaluation = nil
                var lines = [
                    "\(model.name) on \(e.count) MNIST test images",
                    "accuracy \(String(format2: e.accuracy * 100)) %   loss \(String(format4: e.loss))   errors \(e.count - Int((e.accuracy * Double(e.count)).rounded()))",
                    "", "confusion (rows: true, columns: predicted)",
                    "     " + (0..<10).map { "\($0)".leftPadding(6) }.joined(),
                ]
                for (i, row) in e.confusion.enumerated() { lines.append("\(i)".leftPadding(5) + row.map { "\($0)".leftPadding(6) }.joined()) }
                overlay = .message(title: "Evaluation", lines: lines)
                notice = nil
            case let .failed(msg):
                evaluation = nil
                notice = ("evaluation failed: \(msg)", true)
            }
        }
        if let t = training {
            switch t.snapshot.phase {
            case let .finished(acc):
                if overlay == nil { overlay = .trainingDone(accuracy: acc) }
            case let .failed(msg):
                training = nil; lowerView = .maps
                notice = ("training failed: \(msg)", true)
            case .cancelled:
                training = nil; lowerView = .maps
                notice = ("training cancelled; the model on screen is unchanged", false)
            default: break
            }
        }
    }

    /// Esc while the training panel is showing cancels the run.
    public func cancelTraining() { training?.cancel() }
    public var isBusy: Bool { training != nil || evaluation != nil }
}

extension TrainingSession {
    var isDone: Bool {
        switch snapshot.phase { case .finished, .failed, .cancelled: true; default: false }
    }
}

func expandTilde(_ p: String) -> String {
    let t = p.trimmed
    if t.hasPrefix("~/"), let home = ProcessInfoLite.environment["HOME"] { return home + t.dropFirst(1) }
    return t
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
    func leftPadding(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
    init(format2 x: Double) { self = Format.fixed(x, 2) }
    init(format4 x: Double) { self = Format.fixed(x, 4) }
}
