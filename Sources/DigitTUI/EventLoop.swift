import Foundation
import ConvNet
import DigitData

/// The app's main loop: read input → change state → run the network if the
/// drawing changed → draw → show. Background work is polled, never waited on.
public enum EventLoop {
    public static func run(_ app: App, terminal: Terminal) {
        Threads.whileReadingOneAtATime { loop(app, terminal: terminal) }
    }

    private static func loop(_ app: App, terminal: Terminal) {
        let renderer = Renderer(theme: terminal.theme)
        let size = terminal.size
        app.handle(.resize(width: size.width, height: size.height))
        var surface = Surface(width: size.width, height: size.height)
        var pendingSince: Double? = nil
        // For the crash test only: trap after the first frame, as a bug would.
        let crashForTest = ProcessInfo.processInfo.environment["DIGITS_TEST_CRASH"] == "1"
        while !app.quit {
            app.update()
            if surface.width != app.layout.width || surface.height != app.layout.height {
                surface = Surface(width: app.layout.width, height: app.layout.height)
            }
            let frameStart = now()
            renderer.draw(app, into: surface)
            terminal.present(surface)
            let end = now()
            app.lastFrameSeconds = end - frameStart
            if let t0 = pendingSince { app.latency.add(end - t0); pendingSince = nil }
            if crashForTest && !app.canvas.isEmpty { fatalError("crash requested by DIGITS_TEST_CRASH") }

            let events = terminal.read(timeoutMs: app.isBusy ? 50 : 250)
            let received = now()
            if let sig = terminal.quitSignal {
                // SIGINT/SIGTERM/SIGHUP/SIGQUIT: leave now; an unsaved trained model is
                // lost only if the user did not save it, which the title bar shows.
                // The exit status names the signal (128 + n), so a script can tell it from q.
                app.quitSignal = sig
                app.quit = true
                break
            }
            if terminal.suspendIfRequested() {
                let s = terminal.size
                app.handle(.resize(width: s.width, height: s.height))
            }
            for e in events {
                app.handle(e)
                if app.quit { break }
            }
            if app.canvasChanged && pendingSince == nil { pendingSince = received }
        }
        app.cancelTraining()
        terminal.restore()
    }
}
