namespace FashionCore.Numerics.Random;

/// <summary>
/// The Mersenne Twister MT19937 with the draws of numpy's legacy <c>RandomState</c> that scikit-learn consumes,
/// so a given <c>random_state</c> yields scikit-learn's exact random choices (SAG/SAGA seed, k-means++ picks).
/// </summary>
/// <remarks>
/// Seeding is Matsumoto–Nishimura <c>init_genrand</c>, which is what <c>RandomState(int)</c> does.
/// <see cref="NextInt32(int)"/> is <c>randint(n)</c> (masked rejection sampling), <see cref="NextDouble"/> is
/// <c>random_sample()</c>/<c>uniform()</c> (53-bit from two outputs). Not thread-safe: one instance per stream.
/// </remarks>
public sealed class Mt19937
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index;

    /// <summary>Creates a generator seeded like <c>numpy.random.RandomState(seed)</c>.</summary>
    /// <param name="seed">The seed (numpy accepts 0 … 2³²−1).</param>
    public Mt19937(uint seed)
    {
        _state[0] = seed;
        for (int i = 1; i < N; i++)
        {
            uint prev = _state[i - 1];
            _state[i] = unchecked((1812433253u * (prev ^ (prev >> 30))) + (uint)i);
        }

        _index = N;
    }

    /// <summary>The next raw 32-bit output (tempered).</summary>
    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }

        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>numpy <c>randint(high)</c>: a uniform integer in [0, <paramref name="high"/>).</summary>
    /// <param name="high">Exclusive upper bound, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> is less than 1.</exception>
    public int NextInt32(int high) => NextInt32(0, high);

    /// <summary>numpy <c>randint(low, high)</c>: a uniform integer in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="low">Inclusive lower bound.</param>
    /// <param name="high">Exclusive upper bound, greater than <paramref name="low"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> ≤ <paramref name="low"/>.</exception>
    public int NextInt32(int low, int high)
    {
        if (high <= low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"high must be greater than low={low}.");
        }

        uint range = (uint)((long)high - low - 1);
        if (range == 0)
        {
            return low;
        }

        // numpy's masked rejection: smallest all-ones mask covering range, redraw until within range.
        uint mask = range;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint v;
        do
        {
            v = NextUInt32() & mask;
        }
        while (v > range);

        return (int)(low + v);
    }

    /// <summary>numpy <c>random_sample()</c>: a double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    private void Twist()
    {
        uint[] mt = _state;
        for (int i = 0; i < N; i++)
        {
            uint y = (mt[i] & 0x80000000u) | (mt[(i + 1) % N] & 0x7FFFFFFFu);
            uint v = mt[(i + M) % N] ^ (y >> 1);
            if ((y & 1) != 0)
            {
                v ^= 0x9908B0DFu;
            }

            mt[i] = v;
        }

        _index = 0;
    }
}
