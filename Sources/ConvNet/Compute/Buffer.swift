/// A grow-only float buffer owned by one layer. Layers keep their outputs and
/// gradients here so that, after the first batch, training allocates nothing.
public final class Buffer {
    public private(set) var pointer: UnsafeMutablePointer<Float>
    public private(set) var capacity: Int
    /// How many floats are in use (set by `reserve`).
    public private(set) var count: Int = 0

    public init(_ capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        pointer.initialize(repeating: 0, count: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `n` floats (contents undefined after growth) and marks them in use.
    @discardableResult
    public func reserve(_ n: Int) -> UnsafeMutablePointer<Float> {
        if n > capacity {
            pointer.deallocate()
            capacity = n
            pointer = .allocate(capacity: n)
            pointer.initialize(repeating: 0, count: n)
        }
        count = n
        return pointer
    }

    public func zero() { pointer.update(repeating: 0, count: count) }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    public subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }
}

/// A Buffer of Int32, for pooling's argmax indices.
final class IndexBuffer {
    private(set) var pointer: UnsafeMutablePointer<Int32>
    private(set) var capacity: Int

    init() { capacity = 1; pointer = .allocate(capacity: 1); pointer.initialize(to: 0) }
    deinit { pointer.deallocate() }

    @discardableResult
    func reserve(_ n: Int) -> UnsafeMutablePointer<Int32> {
        if n > capacity {
            pointer.deallocate()
            capacity = n
            pointer = .allocate(capacity: n)
            pointer.initialize(repeating: 0, count: n)
        }
        return pointer
    }
}
