namespace FashionCore.Numerics.Random;

/// <summary>
/// The xorshift32 generator scikit-learn's SAG/SAGA solver draws its sample indices from (<c>our_rand_r</c>).
/// </summary>
/// <remarks>
/// The state is seeded from <c>RandomState(random_state).randint(1, 2³¹−1)</c>; see <see cref="FromRandomState"/>.
/// A mutable struct: keep it in a local in hot loops and pass by <c>ref</c>.
/// </remarks>
public struct XorShift32
{
    private uint _state;

    /// <summary>Creates a generator with the given non-zero state.</summary>
    /// <param name="state">The initial state; 0 would stay 0 forever.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is 0.</exception>
    public XorShift32(uint state)
    {
        ArgumentOutOfRangeException.ThrowIfZero(state);
        _state = state;
    }

    /// <summary>The generator scikit-learn 1.2.1 seeds SAG/SAGA with for an integer <c>random_state</c>.</summary>
    /// <param name="randomState">The estimator's <c>random_state</c>.</param>
    /// <returns>A generator positioned exactly as sklearn's before its first draw.</returns>
    public static XorShift32 FromRandomState(uint randomState) => new(SeedFromRandomState(randomState));

    /// <summary>The state sklearn 1.2.1 seeds SAG/SAGA with: <c>RandomState(random_state).randint(1, 2³¹−1)</c>.</summary>
    /// <param name="randomState">The estimator's <c>random_state</c>.</param>
    /// <returns>The initial state, in [1, 2³¹−1).</returns>
    public static uint SeedFromRandomState(uint randomState) => (uint)new Mt19937(randomState).NextInt32(1, int.MaxValue);

    /// <summary>Advances the state and returns it (sklearn's <c>our_rand_r</c>).</summary>
    public uint Next()
    {
        uint s = _state;
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        _state = s;
        return s;
    }

    /// <summary>The next sample index in [0, <paramref name="n"/>): <c>(state mod 2³¹) mod n</c>, as sklearn draws it.</summary>
    /// <param name="n">Number of samples (positive).</param>
    public int NextIndex(int n) => (int)((Next() & 0x7FFFFFFFu) % (uint)n);
}
