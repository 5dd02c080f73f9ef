using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Models.Linear;

/// <summary>
/// The scalar part of a SAG/SAGA step of <see cref="SagLanePairSolver"/> and <see cref="SagLaneSplitSolver"/> (sklearn's
/// per-sample work outside the feature loop): the same inputs give the same bits, so two threads that each run a copy
/// stay in lockstep.
/// </summary>
internal struct SagLaneChain(SagProblem p, SagLanes used)
{
    // Rows of the per-sample gradient memory are padded to SagLanes.Count doubles.
    private const int MemoryStride = SagLanes.Count;

    public SagLanes B;
    public double Scale = 1.0;
    public double StepSum;

    /// <summary>The last step's factor: its update's coef is Factor·δ.</summary>
    public double Factor;
    private readonly SagLanes _used = used;
    private readonly double _eta = p.StepSize;
    private readonly double _scaleUpdate = 1.0 - (p.StepSize * p.AlphaScaled);
    private readonly bool _saga = p.Saga;
    private readonly bool _fitIntercept = p.FitIntercept;

    // Lanes whose problem is still running (OvR lanes stop at their own epoch): only they can overflow.
    private SagLanes _active = used;
    private SagLanes _sumB;
    private int _seenCount;

    public void Deactivate(int lane) =>
        _active = SagLanes.Select(SagLanes.Equals(SagLanes.Index, SagLanes.Broadcast(lane)), default, _active);

    // Sample i's step at dot products (x·U, x·A): returns the update's (coef, δ) and advances the intercepts, the
    // weight scale and the step sum (sklearn's order of operations, as in SagLaneSolver).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (SagLanes Coef, SagLanes Delta) Step(
        in SagLanes zU, in SagLanes zA, int i, ReadOnlySpan<int> y, int firstClass, double[] memory, bool[] seen, bool multinomial, int epoch)
    {
        ref double g = ref memory[i * MemoryStride];
        bool first = !seen[i];
        seen[i] = true;
        return Step(zU, zA, y[i], firstClass, Previous(ref g, first), first, ref g, multinomial, epoch);
    }

    /// <summary>
    /// A sample's previous gradient, its row <paramref name="g"/> of the memory, or zero at its <paramref name="first"/>
    /// draw: the memory is pooled scratch (not cleared), whose old contents are masked off (garbage &amp; 0 = +0).
    /// </summary>
    /// <remarks>
    /// Masking instead of storing zeros and reading them back: the step then subtracts +0 (grad − (+0) = grad in every
    /// lane, the same bits), and no load waits on a store just made to its row (a 64-byte store, 32-byte loads).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes Previous(ref double g, bool first)
    {
        Vector256<double> keep = Vector256.Create(first ? 0L : -1L).AsDouble();
        return SagLanes.Load(ref g) & new SagLanes(keep, keep, keep);
    }

    /// <summary>
    /// Advances the weight scale and step sum (and seen count) over the first <paramref name="m"/> steps of an octet whose
    /// first draws are the bits of <paramref name="firstDraws"/> by <c>Step</c>'s operations, which do not depend on the
    /// dot products: the same bits. Writes each step's step sum (before it) to <paramref name="stepSums"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AdvanceScalars(int firstDraws, int m, Span<double> stepSums)
    {
        for (int r = 0; r < m; r++)
        {
            _seenCount += (firstDraws >> r) & 1;
            stepSums[r] = StepSum;
            Scale *= _scaleUpdate;
            StepSum += _eta / (Scale * _seenCount);
        }
    }

    /// <summary>
    /// The step of a sample with label <paramref name="label"/> whose previous gradient is <paramref name="previous"/>
    /// (<see cref="Previous"/>; <paramref name="first"/>: its first draw), storing its new gradient at <paramref name="g"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (SagLanes Coef, SagLanes Delta) Step(
        in SagLanes zU, in SagLanes zA, int label, int firstClass, in SagLanes previous, bool first, ref double g, bool multinomial, int epoch)
    {
        _seenCount += first ? 1 : 0;
        double eta = _eta;
        SagLanes z = zU - (StepSum * zA);
        z = (Scale * z) + B;
        SagLanes one = SagLanes.Broadcast(1.0);
        SagLanes grad = multinomial
            ? SagLaneSolver.MultinomialGradient(z, label, _used, SagLanes.Broadcast(double.NegativeInfinity), SagLanes.Index, one)
            : SagLaneSolver.BinaryGradient(z, label - firstClass, _used, SagLanes.Index, one);
        Scale *= _scaleUpdate;
        SagLanes delta = grad - previous;
        double fresh = 1.0 - (1.0 / _seenCount);

        // sklearn: V −= ((x·δ)·η·(1−1/m))/s and A += x·δ, so U moves by c·x·δ with c = StepSum·δ − (δ·η·(1−1/m))/s:
        // one factor per step (coef = Factor·δ), one product per lane and one number per sample in the split's
        // messages (SagLaneOctetKernels.Coefficients); its rounding differs from the two terms' by about an ulp.
        Factor = _saga ? StepSum - ((eta * fresh) / Scale) : StepSum;
        SagLanes coef = Factor * delta;
        if (_fitIntercept)
        {
            _sumB += delta;
            SagLanes cb = delta * (eta * fresh);
            B -= _saga ? ((eta * _sumB) / _seenCount) + cb : (eta * _sumB) / _seenCount;
            if (!SagLanes.AllFinite(B, _active))
            {
                SagSolver.ThrowOverflow(epoch);
            }
        }

        grad.Store(ref g);
        StepSum += eta / (Scale * _seenCount);
        return (coef, delta);
    }
}
