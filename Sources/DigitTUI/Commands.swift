/// Everything the user can do with a key, in one table (htop's way of binding
/// actions). The key handler looks keys up here, the menu lists the rows marked
/// `inMenu` in table order, the footer shows (and clicks) the rows that have a
/// footer label and are available, and the help is printed from the same rows.
/// Adding a key or a command means adding or editing one row of `Command.table`.
public struct Command {
    public let keys: [Key]
    /// How the keys are written in the help when not simply one after another.
    let keyText: String?
    /// The menu's and the help's name for it.
    public let name: String
    /// One line for the help.
    public let help: String
    /// Its short label in the footer; nil keeps it out of the footer.
    public let footer: String?
    /// Its word in the drawing hints under the canvas; nil keeps it out of them.
    public let hint: String?
    public let inMenu: Bool
    /// When it applies; a key pressed when it does not says `whyNot`.
    let isAvailable: (App) -> Bool
    let whyNot: String
    /// Where the reason depends on the state, it (else `whyNot`).
    let whyNotNow: ((App) -> String)?
    /// What it does; the key tells commands with several keys apart.
    let run: (App, Key) -> Void

    init(_ keys: [Key], keyText: String? = nil, name: String, help: String, footer: String? = nil, hint: String? = nil, inMenu: Bool = false,
         when isAvailable: @escaping (App) -> Bool = { _ in true }, whyNot: String = "", whyNotNow: ((App) -> String)? = nil,
         run: @escaping (App, Key) -> Void) {
        self.keys = keys; self.keyText = keyText; self.name = name; self.help = help; self.footer = footer; self.hint = hint
        self.inMenu = inMenu; self.isAvailable = isAvailable; self.whyNot = whyNot; self.whyNotNow = whyNotNow; self.run = run
    }

    /// Why it does not apply now.
    func reason(_ app: App) -> String { whyNotNow?(app) ?? whyNot }

    /// "F2 r", or the row's own wording ("arrows h j k l").
    public var keyLabel: String { keyText ?? keys.map(\.label).joined(separator: " ") }

    /// The row a key is bound to (each key is bound at most once: tested).
    public static func bound(to key: Key) -> Command? { table.first { $0.keys.contains(key) } }

    /// The menu's rows, in table order.
    public static var menu: [Command] { table.filter(\.inMenu) }

    // The table. Its order is the help's, the menu's and the footer's order.
    public static let table: [Command] = [
        // Drawing.
        Command([.up, .down, .left, .right, .char("h"), .char("j"), .char("k"), .char("l")], keyText: "arrows h j k l",
                name: "Move the cursor", help: "move the keyboard cursor; it draws while the pen is down", hint: "move") { app, key in
            switch key {
            case .up, .char("k"): app.moveCursor(0, -1)
            case .down, .char("j"): app.moveCursor(0, 1)
            case .left, .char("h"): app.moveCursor(-1, 0)
            default: app.moveCursor(1, 0)
            }
        },
        Command([.char(" "), .enter], keyText: "Space Enter", name: "Pen down / up", help: "put the keyboard's pen down, or lift it", hint: "pen") { app, _ in
            app.togglePen()
        },
        Command([.char("e")], name: "Eraser", help: "toggle the eraser (the right mouse button always erases)", hint: "eraser") { app, _ in
            app.eraser.toggle()
            if app.penDown { app.endStroke(); app.startPen() }
        },
        Command([.char("["), .char("]")], name: "Brush size", help: "thinner / thicker brush; the model reads up to \(App.thickestWellReadBrush) px well", hint: "brush") { app, key in
            app.changeBrush(by: key == .char("]") ? 0.2 : -0.2)
        },
        Command([.char("c")], name: "Clear", help: "clear the canvas (u brings it back)", hint: "clear") { app, _ in
            app.clearCanvas()
        },
        Command([.char("u")], name: "Undo", help: "undo the last stroke", hint: "undo") { app, _ in
            app.undoStroke()
        },
        Command([.char("p")], name: "Save the drawing", help: "save the drawing as a 28×28 PNG in the current directory") { app, _ in
            app.saveDrawing()
        },
        // Labelling (SampleLabeling.swift): a digit key stores the drawing as your sample of that digit.
        Command((0...9).map { .char(Character(String($0))) }, keyText: "0–9", name: "Label the drawing",
                help: "save the drawing as your sample of that digit (`digits samples` lists them)", hint: "label") { app, key in
            if case let .char(c) = key, let d = c.wholeNumberValue { app.labelDrawing(d) }
        },
        // The menu's commands.
        Command([.function(1), .char("?")], name: "Help", help: "this help (F1 again closes it)", footer: "help", inMenu: true) { app, _ in
            app.showHelp()
        },
        // One run at a time: not while one runs, nor while its model waits for y or n.
        Command([.function(2), .char("r")], name: "Retrain…", help: "retrain a model on MNIST in the background", footer: "retrain", inMenu: true,
                when: { $0.training == nil && $0.teaching == nil },
                whyNotNow: { $0.newModelWaits ? "keep (y) or discard (n) the new model first"
                             : $0.teaching != nil ? "teaching is running (F7 cancels it)"
                             : "training is already running (t shows it, Esc in its panel cancels)" }) { app, _ in
            app.openRetrain()
        },
        Command([.function(3)], name: "Evaluate on the test set", help: "measure the model on the 10,000 MNIST test images", footer: "eval", inMenu: true) { app, _ in
            app.startEvaluation()
        },
        Command([.function(4), .char("o")], name: "Load weights…", help: "load a weights file (asks first when a trained model is unsaved)", footer: "load", inMenu: true) { app, _ in
            app.requestLoad()
        },
        Command([.function(5), .char("s")], name: "Save weights as…", help: "save the model on screen to a weights file", footer: "save", inMenu: true) { app, _ in
            app.openForm(.save)
        },
        Command([.function(6)], name: "Model summary", help: "the model's layers, shapes and parameters", footer: "summary", inMenu: true) { app, _ in
            app.showSummary()
        },
        // Teach: fine-tunes the live model on the person's samples; F7 again cancels.
        Command([.function(7)], name: "Teach", help: "teach the model your handwriting: fine-tune it on your samples in the background (F7 again cancels)",
                footer: "teach", inMenu: true,
                when: { $0.training == nil && $0.taughtReport == nil },
                whyNotNow: { $0.newModelWaits ? "keep (y) or discard (n) the new model first"
                                              : "a retraining is running (t shows it, Esc in its panel cancels)" }) { app, _ in
            app.teachOrCancel()
        },
        Command([.function(8)], name: "Back to the shipped model", help: "put the shipped model back on screen (asks again when yours is unsaved)",
                inMenu: true, when: { $0.shippedFile != nil }, whyNot: "no shipped weights file was found") { app, _ in
            app.backToShipped()
        },
        Command([.char("m"), .function(9)], name: "Menu", help: "the menu", footer: "menu") { app, _ in
            app.overlay = .menu(selected: 0)
        },
        // Your samples: the footer's and the menu's way to labelling, and taking one back.
        Command([.char("L")], name: "Label…", help: "how to label: press the drawing's digit, 0–9", footer: "label", inMenu: true) { app, _ in
            app.askForLabel()
        },
        Command([.char("U")], name: "Undo the last sample", help: "take back the last sample saved in this session", inMenu: true,
                when: { !$0.samples.savedThisSession.isEmpty }, whyNot: "no sample was saved in this session") { app, _ in
            app.undoLastSample()
        },
        // Views.
        Command([.tab, .backTab], keyText: "Tab Shift-Tab", name: "Next / previous layer",
                help: "next / previous convolution layer's feature maps", footer: "layer",
                when: { $0.model.convLayerNames.count > 1 }, whyNot: "this model has only one convolution layer to show") { app, key in
            app.cycleLayer(key == .tab ? 1 : -1)
        },
        Command([.pageDown, .pageUp, .char(">"), .char("<")], keyText: "PgDn PgUp > <", name: "Channel pages",
                help: "more channels of that layer (also the mouse wheel)",
                when: { $0.channelPages > 1 }, whyNot: "all of this layer's channels are on screen") { app, key in
            app.turnChannelPage(key == .pageDown || key == .char(">") ? 1 : -1)
        },
        Command([.char("w")], name: "Why this digit", help: "evidence overlay: red ink pushed the answer up, blue pushed toward the runner-up") { app, _ in
            app.toggleEvidence()
        },
        Command([.char("a")], name: "Colour scale per channel",
                help: "feature maps: each channel between its own extremes / one scale per layer (click a tile to enlarge it)") { app, _ in
            app.explorer.perChannelScale.toggle()
        },
        Command([.char("d")], name: "Dense layers", help: "the layer before the output and the logits / the feature maps again") { app, _ in
            app.explorer.denseView.toggle()
            if app.explorer.denseView { app.explorer.channel = nil; app.explorer.unit = nil; app.lowerView = .maps }
        },
        Command([.char("t")], name: "Training panel", help: "training panel / feature maps while training", footer: "training",
                when: { $0.training != nil }, whyNot: "no training is running (F2 starts one)",
                whyNotNow: { $0.teaching != nil ? "no retraining is running; teaching shows its progress on the status line" : "no training is running (F2 starts one)" }) { app, _ in
            app.lowerView = app.lowerView == .maps ? .training : .maps
        },
        Command([.char("y")], name: "Keep the new model", help: "after training or teaching: keep the new model (it goes live, then save it)",
                footer: "keep", when: { $0.newModelWaits }, whyNot: "no newly trained model is waiting") { app, _ in
            if app.taughtReport != nil { app.keepTaughtModel() } else { app.keepTrainedModel() }
        },
        Command([.char("n")], name: "Discard the new model", help: "after training or teaching: discard the new model",
                footer: "discard", when: { $0.newModelWaits }, whyNot: "no newly trained model is waiting") { app, _ in
            if app.taughtReport != nil { app.discardTaughtModel() } else { app.discardTrainedModel() }
        },
        Command([.escape], keyText: "Esc", name: "Cancel", help: "lift the pen; in the training panel, cancel training") { app, _ in
            app.escape()
        },
        Command([.function(12), .char("D")], name: "Timing overlay", help: "timing overlay (per-stroke latency)") { app, _ in
            app.debug.toggle()
        },
        // Ctrl-\ is the terminal's quit key (SIGQUIT); in raw mode it arrives as a key.
        Command([.char("q"), .function(10), .ctrl("c"), .ctrl("d"), .ctrl("\\")], keyText: "q F10 Ctrl-C/D/\\", name: "Quit",
                help: "quit (asks first when a trained model is unsaved)", footer: "quit", inMenu: true) { app, _ in
            app.requestQuit()
        },
    ]
}

extension Key {
    /// How a key is written on screen: "F2", "Tab", "PgDn", "Ctrl-C", "[".
    public var label: String {
        switch self {
        case .char(" "): "Space"
        case let .char(c): String(c)
        case let .ctrl(c): "Ctrl-" + String(c).uppercased()
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case let .function(n): "F\(n)"
        }
    }
}

/// The footer: the available rows with a footer label, as many as fit, each
/// clickable. One computation for the renderer and for the mouse.
public enum Footer {
    public struct Item { public let x: Int, width: Int, key: String, label: String, command: Command }

    /// The available commands' footer items placed in `width` columns, as densely
    /// as the width needs (`FooterLayout`); `label` starts with its space, if any.
    /// What the menu also offers leaves first (from the end), but help and quit.
    public static func items(_ app: App, width: Int) -> [Item] {
        let commands = Command.table.filter { $0.footer != nil && $0.isAvailable(app) }
        let droppable = commands.indices.reversed().filter { commands[$0].inMenu && $0 != 0 && $0 != commands.count - 1 }
        let placed = FooterLayout(commands.map { (key: $0.keys[0].label, label: $0.footer!) }, width: width, droppable: droppable).items
        return placed.map { Item(x: $0.x, width: $0.key.count + $0.label.count, key: $0.key, label: $0.label, command: commands[$0.index]) }
    }

    /// The command whose footer item is at screen column `col` of the footer row.
    static func command(at col: Int, _ app: App) -> Command? {
        let bar = app.layout.status
        return items(app, width: bar.width).first { col >= bar.x + $0.x && col < bar.x + $0.x + $0.width }?.command
    }
}
