// swift-tools-version:6.0
// digits: draw a digit in the terminal and watch a CNN read it.
// Dependencies point one way: digits → DigitsCLI → DigitTUI → DigitData → ConvNet → CBLAS.
// Linux only: the code calls Glibc directly (termios, signals, clock_gettime,
// environ) and links Debian's ncursesw, OpenBLAS, zlib, libpng and libjpeg-turbo;
// there is no macOS branch, so no Apple platform is declared.
import PackageDescription

// The hot loops of the engine are bounds-checked in debug builds (tests) and
// compiled with -Ounchecked in release builds, where the gradient checks have
// already vouched for the indexing.
let engineFlags: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "digits",
    products: [
        .executable(name: "digits", targets: ["digits"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG"),
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        .target(name: "ConvNet", dependencies: ["CBLAS"], swiftSettings: engineFlags),
        .target(name: "DigitData", dependencies: ["ConvNet", "CZlib", "CPNG", "CJPEG", "CCurl"]),
        .target(name: "DigitTUI", dependencies: ["DigitData", "ConvNet", "CNCurses"]),
        // The command line: every subcommand, its options and their checks, and the
        // mapping of errors to one line and an exit code. A library so that the
        // fuzz target can parse arbitrary argv through the real commands.
        .target(name: "DigitsCLI", dependencies: [
            "DigitTUI", "DigitData", "ConvNet",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "digits", dependencies: ["DigitsCLI"]),
        // libFuzzer targets for every reader of outside bytes (make fuzz); built
        // normally it replays files through the same code, so it always compiles.
        .executableTarget(name: "digits-fuzz", dependencies: ["ConvNet", "DigitData", "DigitsCLI"]),
        .testTarget(name: "ConvNetTests", dependencies: ["ConvNet"]),
        .testTarget(name: "DigitDataTests", dependencies: ["DigitData"]),
        .testTarget(name: "DigitTUITests", dependencies: ["DigitTUI", "DigitData"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ConvNet", "DigitData"]),
    ],
    swiftLanguageModes: [.v5]
)
