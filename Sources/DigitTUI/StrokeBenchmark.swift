import ConvNet

/// The app's per-stroke work without a terminal: a scripted drawing sent as mouse
/// events, and after each one the network's reading and a full redraw into a
/// Surface — everything the event loop does except ncurses' output.
public enum StrokeBenchmark {
    /// Sorted latencies in seconds, one per mouse event that changed the drawing.
    /// `evidence`: with the evidence overlay on (w), as the app then runs.
    public static func run(model: LiveModel, events: Int = 400, evidence: Bool = false) -> [Double] {
        Threads.whileReadingOneAtATime { measure(model: model, events: events, evidence: evidence) }   // as the app does
    }

    private static func measure(model: LiveModel, events: Int, evidence: Bool) -> [Double] {
        let app = App(model: model)
        app.handle(.resize(width: 120, height: 40))
        app.showEvidence = evidence
        let renderer = Renderer(theme: Theme(color: true))
        let surface = Surface(width: 120, height: 40)
        var out: [Double] = []
        var i = 0
        while out.count < events {
            // Zig-zag strokes across the canvas, 20 reports each, then clear.
            let stroke = i / 20, step = i % 20
            let col = 6 + (step * 2 + stroke * 7) % 48, row = 4 + (step + stroke * 3) % 24
            let action: MouseAction = step == 0 ? .press : (step == 19 ? .release : .drag)
            if stroke % 5 == 0 && step == 0 { app.handle(.key(.char("c"))); app.update() }
            let t = now()
            app.handle(.mouse(column: col, row: row, button: .left, action: action))
            let changed = app.canvasChanged
            app.update()
            renderer.draw(app, into: surface)
            if changed { out.append(now() - t) }
            i += 1
        }
        return out.sorted()
    }
}
