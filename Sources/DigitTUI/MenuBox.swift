/// Where the menu is drawn, and which of its rows a click is on: one
/// computation for the renderer and for the mouse.
enum MenuBox {
    static let width = 40

    /// The menu's box, centred on a `screenWidth`×`screenHeight` screen.
    static func rect(screenWidth: Int, screenHeight: Int) -> Rect {
        let h = Command.menu.count + 4
        return Rect(x: max(0, (screenWidth - width) / 2), y: max(0, (screenHeight - h) / 2),
                    width: min(width, screenWidth), height: min(h, screenHeight))
    }

    /// The screen row of the menu's `i`-th item.
    static func row(_ i: Int, in r: Rect) -> Int { r.y + 2 + i }

    /// The index of the item at screen cell (`col`, `row`), if the cell is on one.
    static func item(column col: Int, row: Int, screenWidth: Int, screenHeight: Int) -> Int? {
        let r = rect(screenWidth: screenWidth, screenHeight: screenHeight)
        let i = row - r.y - 2
        guard col >= r.x + 1, col < r.maxX - 1, Command.menu.indices.contains(i) else { return nil }
        return i
    }

    /// Whether screen cell (`col`, `row`) is inside the menu's box.
    static func contains(column col: Int, row: Int, screenWidth: Int, screenHeight: Int) -> Bool {
        let r = rect(screenWidth: screenWidth, screenHeight: screenHeight)
        return col >= r.x && col < r.maxX && row >= r.y && row < r.maxY
    }
}
