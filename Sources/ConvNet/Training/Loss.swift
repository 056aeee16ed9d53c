import Glibc

/// Softmax followed by cross-entropy, fused so the gradient is simply
/// (softmax − target) / n and no log of a tiny probability is ever taken.
public enum SoftmaxCrossEntropy {
    /// Returns the summed loss and the number of correct argmax predictions;
    /// writes d(mean loss)/d(logits) into `grad` when it is given. The mean is
    /// over `meanOver` examples (default `n`): a shard of a batch passes the
    /// whole batch's size so that the shards' gradients add up to the batch's.
    ///
    /// `smoothing` ε (label smoothing, Szegedy et al. 2016): the target is
    /// (1 − ε)·onehot + ε/k rather than the one-hot vector, so the network is
    /// not pushed to ever larger logits on examples it already gets right.
    public static func evaluate(logits z: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch n: Int,
                                classes k: Int, grad: UnsafeMutablePointer<Float>?,
                                meanOver: Int? = nil, smoothing: Float = 0) -> (loss: Double, correct: Int) {
        var loss = 0.0, correct = 0
        let invN = 1 / Float(meanOver ?? n)
        let spread = smoothing / Float(k), onTarget = 1 - smoothing
        for r in 0..<n {
            let row = z + r * k, y = Int(labels[r])
            var m = row[0], best = 0
            for j in 1..<k where row[j] > m { m = row[j]; best = j }
            if best == y { correct += 1 }
            var sum: Float = 0
            for j in 0..<k { sum += expf(row[j] - m) }
            let logSum = logf(sum) + m
            if smoothing == 0 {
                loss += Double(logSum - row[y])
            } else {
                // −Σ t_j log p_j with Σ t_j = 1: logSum − Σ t_j z_j.
                var mean: Float = 0
                for j in 0..<k { mean += row[j] }
                loss += Double(logSum - onTarget * row[y] - spread * mean)
            }
            if let g = grad {
                let gr = g + r * k
                for j in 0..<k { gr[j] = (expf(row[j] - logSum) - spread) * invN }
                gr[y] -= onTarget * invN
            }
        }
        return (loss, correct)
    }
}
