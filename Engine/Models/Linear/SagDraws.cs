using System.Runtime.CompilerServices;
using FashionCore.Numerics.Random;

namespace FashionCore.Models.Linear;

/// <summary>
/// The sample indices a SAG/SAGA run visits, one per step, as an endless stream across epochs: sklearn's xorshift32
/// draws with replacement, or (<see cref="SagProblem.Shuffled"/>) each run of n steps a fresh permutation of 0 … n−1.
/// </summary>
/// <remarks>
/// The solvers read the stream ahead of the step they run (to prefetch rows), across epoch boundaries, so the order is a
/// pure function of the seed and n: a permutation is shuffled when its first index is read, not when an epoch starts.
/// A mutable struct: keep it in a local or a field and call <see cref="Next"/> on that.
/// </remarks>
internal struct SagDraws
{
    private XorShift32 _rng;
    private readonly int _n;
    private readonly int[]? _order;
    private int _position;

    /// <summary>Draws for <paramref name="n"/> samples as <paramref name="p"/> orders them (its seed and sample order).</summary>
    /// <param name="p">The run's constants.</param>
    /// <param name="n">Number of samples (positive).</param>
    public SagDraws(in SagProblem p, int n)
    {
        _rng = new XorShift32(p.Seed);
        _n = n;
        if (p.Shuffled)
        {
            _order = new int[n];
            for (int i = 0; i < n; i++)
            {
                _order[i] = i;
            }

            _position = n;
        }
    }

    /// <summary>The next sample index, in [0, n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next()
    {
        if (_order is null)
        {
            return _rng.NextIndex(_n);
        }

        if (_position == _n)
        {
            Shuffle();
        }

        return _order[_position++];
    }

    // Fisher–Yates over the previous permutation (a uniform shuffle of any arrangement is uniform), each swap partner
    // drawn without modulo bias by Lemire's multiply-and-reject.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Shuffle()
    {
        int[] order = _order!;
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)Below((uint)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        _position = 0;
    }

    // Uniform in [0, range) for range ≥ 1.
    private uint Below(uint range)
    {
        ulong m = (ulong)_rng.Next() * range;
        if ((uint)m < range)
        {
            uint threshold = (0u - range) % range;
            while ((uint)m < threshold)
            {
                m = (ulong)_rng.Next() * range;
            }
        }

        return (uint)(m >> 32);
    }
}
