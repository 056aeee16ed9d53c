import Foundation
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
    var mouseStroke: MouseStroke?
    /// The brush's footprint is shown on the canvas after its size changes, until the next stroke.
    public var showBrushPreview = false
    /// The mouse's last place on the canvas (pixel units), where the brush preview goes.
    var pointer: (x: Float, y: Float)?

    // The model and what it reads.
    public private(set) var model: LiveModel
    public private(set) var reading: Reading?
    var canvasChanged = true
    /// The class probabilities after each stroke of the drawing (StrokeEvents.swift).
    public internal(set) var belief = BeliefStrip()
    /// A stroke ended and its reading is not in the strip yet.
    var strokeAwaitingReading = false
    public var selectedLayer = 0
    public var channelPage = 0
    /// The evidence overlay on the canvas (EvidenceOverlay.swift).
    public var showEvidence = false
    /// The feature-map explorer's state (NetworkExplorer.swift).
    public var explorer = Explorer()

    // Overlays and views.
    public enum Overlay {
        case menu(selected: Int)
        case form(Form, FormPurpose)
        case message(title: String, lines: [String])
        case confirmQuit
        /// Loading a file would replace a model trained in this session and not saved.
        case confirmLoad
        /// Saving would replace `path`; the shipped weights need "yes" typed out.
        case confirmOverwrite(path: String, shipped: Bool, typed: String)
    }
    public enum FormPurpose { case retrain, load, save }
    public var overlay: Overlay?
    /// The command whose message is showing (its key closes it again).
    var messageCommand: String?
    /// The first line of a message shown (a long one scrolls).
    public var messageScroll = 0
    public enum LowerView { case maps, training }
    public var lowerView = LowerView.maps
    public var notice: (text: String, isError: Bool)?

    // Background work.
    public internal(set) var training: TrainingSession?
    var evaluation: EvaluationJob?
    /// The menu's Teach (AppTeaching.swift): its run, whether its result was
    /// shown, and a pending second F8.
    public internal(set) var teaching: TeachJob?
    var teachResultShown = false
    var confirmingBackToShipped = false
    public var unsavedModel = false
    public let dataOption: String?
    /// The shipped weights file(s): saving over them needs an explicit yes.
    public var shippedWeights: [String] = []
    /// Your labelled samples (SampleLabeling.swift).
    public let samples = SampleLabels()

    // Instrumentation.
    public var debug = false
    public var latency = LatencyLog()
    public var lastFrameSeconds = 0.0
    public var quit = false
    /// The signal that ended the app (INT, TERM, HUP, QUIT sent by kill), if one did.
    public var quitSignal: Int32?
    public var layout = Layout(width: 120, height: 40)

    public init(model: LiveModel, dataOption: String? = nil) {
        self.model = model
        self.dataOption = dataOption
    }

    // MARK: - Input

    public func handle(_ event: InputEvent) {
        switch event {
        case let .resize(w, h):
            layout = Layout(width: w, height: h)
            channelPage = min(channelPage, channelPages - 1)
            if case let .message(_, text)? = overlay {
                messageScroll = min(messageScroll, MessageBox(text, screenWidth: w, screenHeight: h).lastScroll)
            }
        case let .key(k):
            // The "too small" screen shows nothing but how to quit: any other key
            // would act unseen (clear the canvas, start a training run).
            if layout.tooSmall { return tooSmallKey(k) }
            if overlay != nil { handleOverlayKey(k) } else { handleKey(k) }
        case let .mouse(col, row, button, action):
            guard !layout.tooSmall else { return }
            // A click on a footer item is its key, unless a form or a question is
            // open (its key would be typed into the form or taken as an answer).
            if action == .press, button == .left, row == layout.status.y, let c = Footer.command(at: col, self) {
                switch overlay {
                case nil, .menu?, .message?: handle(.key(c.keys[0]))
                default: break
                }
                return
            }
            if case .menu? = overlay {
                // A click on a menu row runs it; a click outside the menu closes it.
                guard action == .press, button == .left || button == .right else { return }
                let (w, h) = (layout.width, layout.height)
                if let i = MenuBox.item(column: col, row: row, screenWidth: w, screenHeight: h) {
                    overlay = nil
                    handleKey(Command.menu[i].keys[0])
                } else if !MenuBox.contains(column: col, row: row, screenWidth: w, screenHeight: h) {
                    overlay = nil
                }
                return
            }
            if case .message? = overlay, button == .wheelUp || button == .wheelDown {
                handleOverlayKey(button == .wheelUp ? .up : .down)   // the wheel scrolls a message
                return
            }
            guard overlay == nil else { return }
            if button == .wheelUp || button == .wheelDown {
                // The wheel pages the feature maps' channels, where there is more than one page.
                if lowerView == .maps, channelPages > 1 { notice = nil; turnChannelPage(button == .wheelDown ? 1 : -1) }
                return
            }
            if action == .press, button == .left, explorerPress(col, row) { return }
            handleMouse(col, row, button, action)
        }
    }

    /// A key while the window is too small: only the quit keys act. When quitting
    /// would lose something the question is asked there (`Renderer.drawTooSmall`).
    func tooSmallKey(_ key: Key) {
        guard let c = Command.bound(to: key), c.keys.contains(.char("q")) else { return }
        if case .confirmQuit? = overlay { quit = true } else { overlay = nil; requestQuit() }
    }

    /// The notice that says why a command does not apply, while it is showing: it
    /// goes when the reason changes (a training run ended), not to contradict the screen.
    var unavailableNotice: (command: String, text: String)?

    func dropStaleUnavailableNotice() {
        guard let (name, text) = unavailableNotice else { return }
        guard notice?.text == text, let c = Command.table.first(where: { $0.name == name }) else { unavailableNotice = nil; return }
        if c.isAvailable(self) || !text.hasSuffix(c.reason(self)) { notice = nil; unavailableNotice = nil }
    }

    /// The command being run (a message it opens is closed by its key).
    private var runningCommand: String?

    /// A key with no overlay open: its row in `Command.table` does it.
    func handleKey(_ key: Key) {
        notice = nil
        guard let command = Command.bound(to: key) else {
            notice = ("\(key.label) does nothing here; F1 lists the keys", false)
            return
        }
        guard command.isAvailable(self) else {
            notice = ("\(key.label): \(command.reason(self))", false)
            unavailableNotice = (command.name, notice!.text)
            return
        }
        runningCommand = command.name
        command.run(self, key)
        runningCommand = nil
    }

    func startPen() {
        penDown = true
        beginStroke(at: Float(cursor.x) + 0.5, Float(cursor.y) + 0.5, erase: eraser)
    }

    func togglePen() {
        keyboardUsed = true
        if penDown { penDown = false; endStroke() } else { startPen() }
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

    func changeBrush(by delta: Float) {
        canvas.brushRadius = min(max(canvas.brushRadius + delta, Canvas.brushRange.lowerBound), Canvas.brushRange.upperBound)
        showBrushPreview = true
    }

    /// Esc: lifts the keyboard's pen, else cancels a training run whose panel is showing.
    func escape() {
        if penDown { penDown = false; endStroke() }
        else if lowerView == .training, let t = training, !t.isDone { t.cancel(); notice = ("cancelling after the current batch…", false) }
        else if explorer.isOpen { explorer.close() }
    }

    func cycleLayer(_ d: Int) {
        let n = model.convLayerNames.count
        guard n > 0 else { return }
        selectedLayer = (selectedLayer + d + n) % n
        channelPage = 0
        explorer.channel = nil; explorer.unit = nil
        lowerView = .maps
    }

    /// How many pages the selected layer's channels take in the feature-map panel.
    public var channelPages: Int {
        let shapes = model.convOutputShapes
        guard !shapes.isEmpty else { return 1 }
        return MapGrid.pages(for: shapes[min(selectedLayer, shapes.count - 1)], panel: layout.lower)
    }

    /// One page on or back, within the layer's pages: a page past the last is not banked.
    func turnChannelPage(_ d: Int) {
        channelPage = min(max(channelPage + d, 0), channelPages - 1)
    }

    // MARK: - Overlays

    func handleOverlayKey(_ key: Key) {
        guard let o = overlay else { return }
        switch o {
        case let .menu(selected):
            let items = Command.menu
            switch key {
            case .up, .char("k"): overlay = .menu(selected: (selected + items.count - 1) % items.count)
            case .down, .char("j"): overlay = .menu(selected: (selected + 1) % items.count)
            case .escape, .char("m"), .function(9): overlay = nil
            case .enter: overlay = nil; handleKey(items[selected].keys[0])
            default:
                // A menu command's own key (F2, q, Ctrl-C…) closes the menu and runs it.
                if let c = Command.bound(to: key), c.inMenu { overlay = nil; handleKey(key) }
            }
        case .form(var form, let purpose):
            switch form.handle(key) {
            case .cancel: overlay = nil
            case .none: overlay = .form(form, purpose)
            case .submit: submit(form, purpose)
            }
        case let .message(_, text):
            let last = MessageBox(text, screenWidth: layout.width, screenHeight: layout.height).lastScroll
            switch key {
            case .escape, .enter, .char("q"), .char(" "): overlay = nil
            case .down, .char("j"): messageScroll = min(messageScroll + 1, last)
            case .up, .char("k"): messageScroll = max(messageScroll - 1, 0)
            case .pageDown: messageScroll = min(messageScroll + 10, last)
            case .pageUp: messageScroll = max(messageScroll - 10, 0)
            default:
                // The key that opened it closes it (F1 in the help); another menu
                // command's key closes it and runs that command.
                guard let c = Command.bound(to: key), c.inMenu else { return }
                overlay = nil
                if c.name != messageCommand { handleKey(key) }
            }
        case .confirmQuit:
            switch key {
            case .char("s") where canSaveOnQuit, .char("S") where canSaveOnQuit:
                // A model that waits for y/n goes live first, so that it is the one saved.
                if trainedAccuracy != nil { keepTrainedModel() }
                overlay = nil
                openForm(.save, quitAfter: true)
            case .char("q"), .char("Q"), .char("y"), .ctrl("c"): quit = true
            case .escape, .char("n"), .char("c"): overlay = nil
            default: break
            }
        case .confirmLoad:
            switch key {
            case .char("s"), .char("S"): overlay = nil; openForm(.save, loadAfter: true)
            case .char("l"), .char("L"): overlay = nil; openForm(.load)
            case .escape, .char("n"), .char("c"): overlay = nil
            default: break
            }
        case let .confirmOverwrite(path, shipped, typed):
            if shipped {
                // The shipped weights: only "yes" typed out and Enter replace them.
                switch key {
                case .escape: cancelOverwrite()
                case .enter: if typed.lowercased() == "yes" { save(to: path) } else { cancelOverwrite() }
                case .backspace: overlay = .confirmOverwrite(path: path, shipped: true, typed: String(typed.dropLast()))
                case let .char(c) where typed.count < 3: overlay = .confirmOverwrite(path: path, shipped: true, typed: typed + String(c))
                default: break
                }
            } else {
                switch key {
                case .char("y"), .char("Y"): save(to: path)
                case .char("n"), .char("N"), .escape: cancelOverwrite()
                default: break
                }
            }
        }
    }

    var quitAfterSave = false
    /// The load form follows a save asked for by the load question.
    var loadAfterSave = false

    /// F4: loading replaces the model on screen, so a model trained in this
    /// session and not saved is asked about first (as quitting does).
    func requestLoad() {
        if unsavedModel { overlay = .confirmLoad } else { openForm(.load) }
    }

    /// The line the load question says.
    public var loadWouldLose: [String] { unsavedModel ? [App.unsavedLine] : [] }
    static let unsavedLine = "The model trained in this session is not saved."

    /// Quitting asks only when something costly would be lost: a model trained
    /// in this session and not saved, or a training run still going. A drawing
    /// is a doodle (p saves one).
    func requestQuit() {
        if quitWouldLose.isEmpty { quit = true } else { overlay = .confirmQuit }
    }

    /// What quitting now would lose, one line each, for the quit question.
    public var quitWouldLose: [String] {
        var lines: [String] = []
        if trainedAccuracy != nil { lines.append("The model just trained is neither kept nor saved.") }
        else if unsavedModel { lines.append(App.unsavedLine) }
        if let t = training, !t.isDone { lines.append("Training is still running; quitting stops it.") }
        if taughtReport != nil { lines.append("The model just taught is neither kept nor saved.") }
        else if let t = teaching, !t.isDone { lines.append("Teaching is still running; quitting stops it.") }
        return lines
    }

    /// There is a new model that s in the quit question would save.
    var canSaveOnQuit: Bool { unsavedModel || trainedAccuracy != nil }

    /// Writes the canvas as a 28×28 PNG (white ink on black, like MNIST) in the
    /// current directory; `digits predict` reads it back.
    func saveDrawing() {
        guard !canvas.isEmpty else { notice = ("nothing to save: the canvas is empty", true); return }
        let path = "drawing-\(Timestamp.compact())-\(Timestamp.seconds() % 100).png"
        do {
            try ImageIO.writePNG(canvas.pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }, width: Canvas.size, height: Canvas.size, channels: 1, to: path)
            notice = ("saved the drawing as \(SavePath.absolute(path))", false)
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
            // The ranges are the settings' own, as for the command line and checkpoints.
            .init(label: "epochs", kind: .integer(TrainingSettings.Allowed.epochs), value: "1"),
            .init(label: "batch size", kind: .integer(TrainingSettings.Allowed.batchSize), value: "64"),
            .init(label: "learning rate", kind: .number(TrainingSettings.Allowed.learningRate.map(Double.init)), value: "0.001"),
            .init(label: "optimizer", kind: .choice(["adam", "sgd", "adadelta"]), value: "adam"),
            .init(label: "validation split", kind: .number(TrainingSettings.Allowed.validationSplit), value: "0.1"),
            .init(label: "augment", kind: .toggle, value: "no"),
            // A fresh seed each time, shown so that a run can be repeated exactly.
            .init(label: "seed", kind: .integer(Bounds(0, 999_999_999)), value: "\(Timestamp.seconds() % 1_000_000)"),
        ], submitLabel: "Enter: start training · Esc: cancel"), .retrain)
    }

    func openForm(_ purpose: FormPurpose, quitAfter: Bool = false, loadAfter: Bool = false) {
        quitAfterSave = quitAfter
        loadAfterSave = loadAfter
        switch purpose {
        case .load:
            overlay = .form(Form(title: "Load weights", fields: [.init(label: "file", kind: .text, value: "")],
                                 submitLabel: "Enter: load · Esc: cancel",
                                 notes: ["a relative name is read from \(SavePath.currentDirectory)"]), .load)
        case .save:
            overlay = .form(Form(title: "Save weights as", fields: [
                .init(label: "file", kind: .text, value: "\(model.name)-\(Timestamp.compact()).safetensors")],
                submitLabel: "Enter: save · Esc: cancel",
                notes: ["a relative name is saved in \(SavePath.currentDirectory)"]), .save)
        case .retrain: openRetrain()
        }
    }

    /// The save form, kept while the overwrite question is asked, to go back to.
    var pendingSaveForm: Form?

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
            let path = SavePath.absolute(expandTilde(form.value("file")))
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
            let path = SavePath.absolute(expandTilde(form.value("file")))
            pendingSaveForm = form
            if SavePath.isDirectory(path) {
                failSave("\(path) is a directory; add a file name")
            } else if SavePath.exists(path) {
                // Replacing a file is asked first; the shipped weights need "yes" typed out.
                let shipped = shippedWeights.contains { OutputGuard.sameFile($0, path) }
                overlay = .confirmOverwrite(path: path, shipped: shipped, typed: "")
            } else {
                save(to: path)
            }
        }
    }

    /// Writes the model on screen to `path` (already confirmed when it replaces a file).
    func save(to path: String) {
        do {
            try WeightsFile.save(model.network, metadata: model.metadata, to: path)
            unsavedModel = false
            overlay = nil
            pendingSaveForm = nil
            notice = ("saved \(path)", false)
            if quitAfterSave { quit = true }
            else if loadAfterSave { openForm(.load) }
        } catch {
            failSave("\(error)")
        }
    }

    func failSave(_ message: String) {
        var f = pendingSaveForm ?? Form(title: "Save weights as", fields: [], submitLabel: "")
        f.error = message
        overlay = .form(f, .save)
    }

    /// "No" to the overwrite question: back to the form to choose another name.
    func cancelOverwrite() {
        guard var f = pendingSaveForm else { overlay = nil; return }
        f.error = "not saved: the file exists; choose another name"
        overlay = .form(f, .save)
    }

    func replaceModel(_ m: LiveModel) {
        model = m
        selectedLayer = min(selectedLayer, max(0, m.convLayerNames.count - 1))
        channelPage = 0
        explorer.channel = nil; explorer.unit = nil
        canvasChanged = true
        // Another model's beliefs (perhaps over other classes) are not this one's.
        strokeAwaitingReading = false
        belief = BeliefStrip()
    }

    /// The test accuracy of a model trained in this session that waits for keep
    /// or discard (y / n); the app stays usable meanwhile.
    public var trainedAccuracy: Double? {
        if let t = training, case let .finished(a) = t.snapshot.phase { return a }
        return nil
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

    func discardTrainedModel() {
        training = nil
        lowerView = .maps
        notice = ("the new model was discarded; the previous one stays", false)
    }

    func startEvaluation() {
        evaluation = EvaluationJob(network: model.network, notADigitClass: model.notADigitClass, dataOption: dataOption)
        notice = ("evaluating \(model.name) on the MNIST test set…", false)
    }

    func showMessage(_ title: String, _ lines: [String]) {
        overlay = .message(title: title, lines: lines)
        messageCommand = runningCommand
        messageScroll = 0
    }

    /// The help, printed from the command table.
    func showHelp() {
        var lines = [
            "Draw a digit: press and drag with the left mouse button; the right",
            "button erases. The network reads the drawing on every change.",
            "The mouse wheel turns the feature maps' pages; the footer's keys",
            "can be clicked. A click on a feature map enlarges it; a click on",
            "one of its units lights the part of the drawing that unit sees.",
            "",
        ]
        // The key column is as wide as the widest keys; a wrapped description stays in its column.
        let keyColumn = (Command.table.map(\.keyLabel.count).max() ?? 0) + 2
        for c in Command.table { lines.append(c.keyLabel.padding(keyColumn) + "\t" + c.help) }
        lines += [
            "",
            "The \"network sees\" panel is the drawing after MNIST's own",
            "normalisation: cropped, scaled to 20 px, centred by mass in 28×28.",
        ]
        showMessage("Help", lines)
    }

    func showSummary() {
        var lines = ["\(model.name): \(model.network.spec)", ""]
        for (name, layer) in zip(model.network.layerNames, model.network.layers) {
            lines.append("\(name) (\(layer.kind))".padding(32) + layer.outputShape.description.padding(16) + Format.thousands(layer.parameterCount))
        }
        lines.append("")
        lines.append("total parameters: \(Format.thousands(model.network.parameterCount))")
        if let a = model.testAccuracy { lines.append("test accuracy recorded in the file: \(String(format2: a * 100)) %") }
        lines.append(model.notADigitClass.map { "verdict: output \($0) means \"not a digit\"" } ?? DigitReading.noVerdict)
        lines.append("source: \(model.source)")
        showMessage("Model summary", lines)
    }

    // MARK: - Per-frame work

    /// Runs the network if the drawing changed, and collects background results.
    /// Called by the event loop after input, before drawing.
    public func update() {
        refreshReading()
        recordFinishedStroke()
        if let job = evaluation {
            switch job.phase {
            case .running: break
            case let .done(e):
                evaluation = nil
                showEvaluation(e)
            case let .failed(msg):
                evaluation = nil
                notice = ("evaluation failed: \(msg)", true)
            }
        }
        defer { dropStaleUnavailableNotice() }
        updateTeaching()
        if let t = training {
            switch t.snapshot.phase {
            case .finished:
                break   // waits for y (keep) or n (discard); see trainedAccuracy
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

    /// Reads the drawing again if it changed since the last reading.
    func refreshReading() {
        guard canvasChanged else { return }
        reading = model.read(canvas, evidence: showEvidence)
        canvasChanged = false
    }

    /// The evaluation's result in a message.
    func showEvaluation(_ e: Evaluation) {
        showMessage("Evaluation", App.evaluationLines(name: model.name, e))
        notice = nil
    }

    /// The evaluation's message: accuracy, loss, errors and the confusion matrix.
    static func evaluationLines(name: String, _ e: Evaluation) -> [String] {
        var lines = [
            "\(name) on \(Format.thousands(e.count)) MNIST test images",
            "accuracy \(String(format2: e.accuracy * 100)) %   loss \(String(format4: e.loss))   errors \(e.count - Int((e.accuracy * Double(e.count)).rounded()))",
            "", "confusion (rows: true, columns: predicted)",
            "     " + (0..<10).map { "\($0)".leftPadding(6) }.joined(),
        ]
        // The digits' part, as the header says (a verdict model's "not a digit" row and
        // column are empty on MNIST: its accuracy is over the digit outputs).
        for (i, row) in e.confusion.prefix(10).enumerated() { lines.append("\(i)".leftPadding(5) + row.prefix(10).map { "\($0)".leftPadding(6) }.joined()) }
        return lines
    }

    /// Esc while the training panel is showing cancels the run.
    public func cancelTraining() { training?.cancel(); teaching?.cancel() }
    public var isBusy: Bool { training != nil || evaluation != nil || teaching != nil }
}

extension TrainingSession {
    var isDone: Bool {
        switch snapshot.phase { case .finished, .failed, .cancelled: true; default: false }
    }
}

func expandTilde(_ p: String) -> String {
    let t = p.trimmed
    if t.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { return home + t.dropFirst(1) }
    return t
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
    func leftPadding(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
    init(format2 x: Double) { self = Format.fixed(x, 2) }
    init(format4 x: Double) { self = Format.fixed(x, 4) }
}
