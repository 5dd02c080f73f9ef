namespace FashionCore.Models.Linear;

/// <summary>One batch prediction of a linear model: pinned input, weights and destination (see <see cref="LinearPrediction"/>).</summary>
/// <typeparam name="T">The input element type (float or double).</typeparam>
internal readonly unsafe struct PredictionJob<T>
    where T : unmanaged
{
    /// <summary>The first input row; rows <see cref="Ldx"/> elements apart.</summary>
    public readonly T* X;

    /// <summary>Input row stride in elements.</summary>
    public readonly nint Ldx;

    /// <summary>Rows.</summary>
    public readonly int N;

    /// <summary>Features.</summary>
    public readonly int D;

    /// <summary>K×D weights, contiguous.</summary>
    public readonly double* W;

    /// <summary>The weights packed by <see cref="DecisionKernel.Pack"/>.</summary>
    public readonly double* Packed;

    /// <summary>K intercepts.</summary>
    public readonly double* B;

    /// <summary>Decision columns (1 for a binary model).</summary>
    public readonly int K;

    /// <summary>The class labels (K, or 2 for a binary model).</summary>
    public readonly int* Classes;

    /// <summary>Softmax (else sigmoids) for probabilities.</summary>
    public readonly bool Multinomial;

    /// <summary>What is written to <see cref="Destination"/>.</summary>
    public readonly PredictionOutput Output;

    /// <summary>The first output element (double, int, float or double by <see cref="Output"/>).</summary>
    public readonly void* Destination;

    /// <summary>Output row stride in elements (unused for labels).</summary>
    public readonly nint Ldd;

    public PredictionJob(T* x, nint ldx, int n, int d, double* w, double* packed, double* b, int k, int* classes, bool multinomial, PredictionOutput output, void* destination, nint ldd)
    {
        X = x;
        Ldx = ldx;
        N = n;
        D = d;
        W = w;
        Packed = packed;
        B = b;
        K = k;
        Classes = classes;
        Multinomial = multinomial;
        Output = output;
        Destination = destination;
        Ldd = ldd;
    }
}
