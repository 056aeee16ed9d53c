/// The models `digits` knows by name: the five seed architectures exactly as the
/// notebooks and papers built them (parameter counts in DESIGN.md), and the
/// project's own default, the one shipped trained in assets/.
public enum Architectures {
    public static let defaultName = "digitnet"

    public static let specs: [(name: String, spec: String, about: String)] = [
        ("digitnet",
         "in28x28x1-conv32k3-relu-conv32k3-relu-pool2-conv64k3-relu-conv64k3-relu-pool2-flatten-dense128-relu-drop0.5-dense11-softmax",
         "the project's default: two conv blocks of two 3×3 convs; 10 digits and \"not a digit\" (the 11th output)"),
        ("seed000",
         "in28x28x1-conv30k5-relu-pool2-conv15k3-relu-pool2-flatten-dense500-relu-drop0.5-dense10-softmax",
         "LeNet-style: conv30@5×5, conv15@3×3, dense 500"),
        ("seed001",
         "in28x28x1-conv64k3-relu-pool2-conv64k3-relu-pool2-conv64k3-relu-pool2-flatten-dense64-relu-dense32-relu-dense10-softmax",
         "three conv64@3×3 blocks, dense 64 and 32"),
        ("seed002",
         "in8x8x1-conv16k3same-relu-pool2-drop0.25-conv32k3same-pool2-drop0.25-conv64k3same-pool2-drop0.25-flatten-dense128-sigmoid-drop0.25-dense512-sigmoid-drop0.25-dense10-softmax",
         "optdigits 8×8: three same-padded convs, sigmoid dense 128 and 512"),
        ("seed003",
         "in28x28x1-conv32k3-relu-pool2-flatten-dense32-relu-dense10-softmax",
         "one conv32@3×3, dense 32"),
        ("seed004",
         "in28x28x1-conv32k3-relu-conv64k3-relu-pool2-drop0.25-flatten-dense256-relu-drop0.5-dense10-softmax",
         "Keras' mnist_cnn: conv32, conv64, dense 256"),
    ]

    /// The spec for a name, or the text itself when it is already a spec.
    public static func spec(for nameOrSpec: String) -> String {
        let key = nameOrSpec.lowercased()
        if key == "default" { return specs[0].spec }
        return specs.first { $0.name == key }?.spec ?? nameOrSpec
    }

    public static func name(forSpec spec: String) -> String? {
        specs.first { $0.spec == spec }?.name
    }

    public static var names: [String] { specs.map(\.name) }
}
