using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.Random;

namespace FashionCore.Models.Clustering;

/// <content>Initial centres: greedy k-means++ and random rows, drawing from numpy's RandomState stream.</content>
internal sealed partial class KMeansSolver<T>
{
    /// <summary>
    /// scikit-learn 1.2.1 <c>_kmeans_plusplus</c> on the centred rows: writes the chosen row indices and the centred
    /// centres (k×d).
    /// </summary>
    /// <remarks>
    /// First centre <c>randint(n)</c>; then, per centre, <c>2 + ⌊ln k⌋</c> candidates drawn by
    /// <c>searchsorted(cumsum(D), uniform · Σ D)</c> (clipped to n − 1), and the candidate whose potential
    /// <c>Σ min(D, ‖x − x_c‖²)</c> is smallest (first on ties) is kept. Distances are
    /// <c>max(0, (−2x_c·x + ‖x_c‖²) + ‖x‖²)</c> in that order, as sklearn's <c>_euclidean_distances</c>.
    /// </remarks>
    public void KMeansPlusPlus(Mt19937 random, int k, Span<int> indices, Span<double> centres, Span<double> distances = default)
    {
        double[] uniforms = new double[(k - 1) * PlusPlusTrials(k)];
        int first = DrawPlusPlus(random, _n, k, uniforms);
        KMeansPlusPlus(first, uniforms, k, indices, centres, distances: distances);
    }

    /// <summary>Candidate draws per centre of greedy k-means++: <c>2 + ⌊ln k⌋</c>.</summary>
    public static int PlusPlusTrials(int k) => 2 + (int)Math.Log(k);

    /// <summary>
    /// Draws what one k-means++ run takes from <paramref name="random"/>, in sklearn's order: returns
    /// <c>randint(n)</c> and writes the <c>(k − 1)·trials</c> uniforms. The draws do not depend on the data, so
    /// runs can draw in sequence and then run in parallel.
    /// </summary>
    public static int DrawPlusPlus(Mt19937 random, int n, int k, Span<double> uniforms)
    {
        int first = random.NextInt32(n);
        for (int i = 0; i < (k - 1) * PlusPlusTrials(k); i++)
        {
            uniforms[i] = random.NextDouble();
        }

        return first;
    }

    /// <summary>k-means++ from pre-drawn random numbers (<see cref="DrawPlusPlus"/>).</summary>
    /// <param name="first">The first centre's row.</param>
    /// <param name="uniforms">The <c>(k − 1)·trials</c> uniforms, per centre in trial order.</param>
    /// <param name="k">Centres.</param>
    /// <param name="indices">Receives the chosen rows.</param>
    /// <param name="centres">Receives the centred centres (k×d).</param>
    /// <param name="parallel">Whether passes may run their chunks in parallel (false when runs are already parallel).</param>
    /// <param name="distances">Tests only: when not empty and k ≥ 2, receives every row's D_i (squared distance to its nearest centre).</param>
    public void KMeansPlusPlus(int first, ReadOnlySpan<double> uniforms, int k, Span<int> indices, Span<double> centres, bool parallel = true, Span<double> distances = default)
    {
        int n = _n, d = _d;
        int trials = PlusPlusTrials(k);
        PooledArrays buffers = new();
        double[] closest = buffers.Rent<double>(n);
        double[] candidateDistances = buffers.Rent<double>(trials * n);
        double[] cumulative = buffers.Rent<double>(n);
        double[] candidateRows = new double[trials * d];
        int[] candidates = new int[trials];
        double[] potentials = new double[trials];
        double[] partialPotentials = new double[_chunks * trials];
        double[] partialBounds = new double[_chunks * 2 * trials];
        byte[] openFlags = buffers.Rent<byte>(n * trials, clear: false);
        bool[] needed = new bool[trials];
        int[] nearest = buffers.Rent<int>(n);
        double[] chosen = new double[k * d];
        double[] separation = new double[trials * k];
        double[] separationByNearest = new double[k * 4]; // separation[t·k + a] at a·4 + t (trials ≤ 4 read it)
        DotScreen screens = new(this, trials, words: true);
        bool screen = UseBounds;
        double errorScale = (d + 16) * Math.ScaleB(1.0, -52);
        double maxNorm = 0;
        int chosenCount = 1;

        indices[0] = first;
        candidates[0] = first;
        LoadRow(first, candidateRows.AsSpan(0, d));
        candidateRows.AsSpan(0, d).CopyTo(centres[..d]);
        candidateRows.AsSpan(0, d).CopyTo(chosen);
        if (k == 1)
        {
            // The first centre's distances only weight the draws of further centres.
            buffers.ReturnAll();
            return;
        }

        CandidatePass(1, isFirst: true);
        double potential = potentials[0];
        candidateDistances.AsSpan(0, n).CopyTo(closest);

        for (int c = 1; c < k; c++)
        {
            double running = 0;
            for (int i = 0; i < n; i++)
            {
                running += closest[i];
                cumulative[i] = running;
            }

            for (int t = 0; t < trials; t++)
            {
                double r = uniforms[((c - 1) * trials) + t] * potential;
                int lo = 0, hi = n; // first i with cumulative[i] >= r (numpy searchsorted, side='left')
                while (lo < hi)
                {
                    int mid = (int)((uint)(lo + hi) >> 1);
                    if (cumulative[mid] < r)
                    {
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid;
                    }
                }

                candidates[t] = Math.Min(lo, n - 1);
                LoadRow(candidates[t], candidateRows.AsSpan(t * d, d));
                screens.SetCentre(t, candidateRows.AsSpan(t * d, d), _rowNorm[candidates[t]]);
            }

            maxNorm = 0;
            for (int t = 0; t < trials; t++)
            {
                maxNorm = Math.Max(maxNorm, _rowNorm[candidates[t]]);
                for (int a = 0; a < chosenCount; a++)
                {
                    separation[(t * k) + a] = Math.Sqrt(KMeansKernels.SquaredDistance(candidateRows.AsSpan(t * d, d), chosen.AsSpan(a * d, d))) * (1 - BoundSlack);
                    if (t < 4)
                    {
                        separationByNearest[(a * 4) + t] = separation[(t * k) + a];
                    }
                }
            }

            for (int a = 0; a < chosenCount; a++)
            {
                maxNorm = Math.Max(maxNorm, _rowNorm[indices[a]]);
            }

            // The last centre's distances are used only when asked for (tests): once the screens decide its pick, its
            // exact pass is skipped.
            bool skipped = CandidatePass(trials, isFirst: false, last: c == k - 1 && distances.IsEmpty);
            int best = 0;
            for (int t = 1; t < trials; t++)
            {
                if (potentials[t] < potentials[best])
                {
                    best = t;
                }
            }

            potential = potentials[best];
            for (int i = 0; i < n && !skipped; i++)
            {
                double v = candidateDistances[(best * n) + i];
                if (v < closest[i])
                {
                    nearest[i] = c;
                }

                closest[i] = v;
            }

            indices[c] = candidates[best];
            candidateRows.AsSpan(best * d, d).CopyTo(centres.Slice(c * d, d));
            candidateRows.AsSpan(best * d, d).CopyTo(chosen.AsSpan(c * d, d));
            chosenCount++;
        }

        if (!distances.IsEmpty)
        {
            closest.AsSpan(0, n).CopyTo(distances);
        }

        buffers.ReturnAll();

        // D^t_i = min(closest_i, ‖x_i − x_{cand t}‖²) (closest = +∞ for the first centre) and Σ_i D^t_i per candidate.
        // A candidate is not evaluated for row i when the triangle inequality through the row's nearest chosen centre
        // proves its computed distance ≥ D_i even with worst-case rounding (E as in Lloyd's bounds): then min = D_i
        // exactly as a full evaluation would give, so the potentials and picks are unchanged. The remaining candidates
        // are screened (DotScreen, 8-bit then float, as Lloyd's E-step: M = 2err + 2E bounds the screened value's distance
        // from the double one), and only those the screens cannot prove ≥ D_i are computed in double.
        // The screens also put every D^t_i, so every potential, in an interval. When one candidate's potential is provably
        // the smallest (its upper end below every other's lower end, both widened by the rounding of an n-term sum), it is
        // the pick whatever the others' exact potentials, and only its distances are computed in double (the others' are
        // not used again); otherwise every candidate's are, and the potentials are compared.
        // Returns whether the exact pass was skipped (last and decided: then only the pick's potential is finite, and
        // no distance was computed).
        bool CandidatePass(int count, bool isFirst, bool last = false)
        {
            if (isFirst)
            {
                ChunkedRows.Run(_chunks, _firstDots is not null && Array.IndexOf(_firstCentres, first) >= 0 ? FirstFromDots : FirstChunk, parallel);
                potentials[0] = PotentialOf(0, 1);
                return false;
            }

            ChunkedRows.Run(_chunks, chunk => ScreenChunk(chunk, count), parallel);
            double slack = 4.0 * (n + 2) * Math.ScaleB(1.0, -53);
            int pick = 0;
            Span<double> low = stackalloc double[count];
            Span<double> high = stackalloc double[count];
            for (int t = 0; t < count; t++)
            {
                low[t] = 0;
                high[t] = 0;
                for (int chunk = 0; chunk < _chunks; chunk++)
                {
                    low[t] += partialBounds[(chunk * 2 * count) + t];
                    high[t] += partialBounds[(chunk * 2 * count) + count + t];
                }

                pick = high[t] < high[pick] ? t : pick;
            }

            bool decided = true;
            for (int t = 0; t < count; t++)
            {
                decided &= t == pick || high[pick] * (1 + slack) < low[t] * (1 - slack);
            }

            for (int t = 0; t < count; t++)
            {
                needed[t] = !decided || t == pick;
            }

            if (last && decided)
            {
                for (int t = 0; t < count; t++)
                {
                    potentials[t] = t == pick ? 0 : double.PositiveInfinity;
                }

                return true;
            }

            ChunkedRows.Run(_chunks, chunk => ExactChunk(chunk, count), parallel);
            for (int t = 0; t < count; t++)
            {
                potentials[t] = needed[t] ? PotentialOf(t, count) : double.PositiveInfinity;
            }

            return false;
        }

        double PotentialOf(int t, int count)
        {
            double s = 0;
            for (int chunk = 0; chunk < _chunks; chunk++)
            {
                s += partialPotentials[(chunk * count) + t];
            }

            return s;
        }

        // Distances to the first centre, two rows at a time (the same dots as LoadCentred + Dots, one centre), added in
        // row order.
        void FirstChunk(int chunk)
        {
            ReadOnlySpan2D<T> xs = _x.Span;
            Span<double> row = Scratch(d);
            double sum = 0;
            for (int i = chunk * ChunkedRows.ChunkSize, end = Math.Min(n, i + ChunkedRows.ChunkSize); i < end; i += 2)
            {
                double dot, next = 0;
                if (i + 1 < end)
                {
                    KMeansKernels.DotCentredPair(xs.GetRowSpan(i), xs.GetRowSpan(i + 1), _mean, candidateRows.AsSpan(0, d), out dot, out next);
                }
                else
                {
                    KMeansKernels.LoadCentred(xs.GetRowSpan(i), _mean, row);
                    dot = KMeansKernels.Dot(row, candidateRows.AsSpan(0, d));
                }

                for (int r = i; r <= i + 1 && r < end; r++)
                {
                    double dist = Math.Max(0, ((-2.0 * (r == i ? dot : next)) + _rowNormSq[candidates[0]]) + _rowNormSq[r]);
                    candidateDistances[r] = dist;
                    sum += dist;
                }
            }

            partialPotentials[chunk] = sum;
        }

        // FirstChunk from the dots the setup pass took (same values, same additions).
        void FirstFromDots(int chunk)
        {
            double[] table = _firstDots!;
            int count = _firstCentres.Length, slot = Array.IndexOf(_firstCentres, first);
            double sum = 0;
            for (int r = chunk * ChunkedRows.ChunkSize, end = Math.Min(n, r + ChunkedRows.ChunkSize); r < end; r++)
            {
                double dist = Math.Max(0, ((-2.0 * table[(r * count) + slot]) + _rowNormSq[candidates[0]]) + _rowNormSq[r]);
                candidateDistances[r] = dist;
                sum += dist;
            }

            partialPotentials[chunk] = sum;
        }

        // The bound tests and screens of one chunk: flags the (row, candidate) pairs that need a double distance, writes
        // D_i where the candidate is proved no nearer, and sums the interval ends of every D^t_i.
        void ScreenChunk(int chunk, int count)
        {
            Span<double> lows = partialBounds.AsSpan(chunk * 2 * count, count);
            Span<double> highs = partialBounds.AsSpan((chunk * 2 * count) + count, count);
            lows.Clear();
            highs.Clear();
            if (count == 3 && screen && HasByteScreen && Avx.IsSupported)
            {
                ScreenChunkThree(chunk, lows, highs);
                return;
            }

            ReadOnlySpan2D<T> xs = _x.Span;
            Span<double> scratch = Scratch(4 * count);
            Span<float> dotsF = stackalloc float[count];
            Span<bool> exact = stackalloc bool[count];
            Span<int> which = stackalloc int[count];
            for (int i = chunk * ChunkedRows.ChunkSize, end = Math.Min(n, i + ChunkedRows.ChunkSize); i < end; i++)
            {
                ScreenRow(xs, i, count, scratch, dotsF, exact, which, lows, highs);
            }
        }

        // ScreenChunk's work for one row: adds the row's interval ends of every D^t_i to lows and highs.
        void ScreenRow(ReadOnlySpan2D<T> xs, int i, int count, Span<double> scratch, Span<float> dotsF, Span<bool> exact, Span<int> which, Span<double> lows, Span<double> highs)
        {
            Span<double> estimates = scratch[..count];
            Span<double> errors = scratch.Slice(count, count);
            Span<double> someEstimates = scratch.Slice(2 * count, count);
            Span<double> someErrors = scratch.Slice(3 * count, count);
            double current = closest[i];
            double reach = _rowNorm[i] + maxNorm;
            double error = errorScale * reach * reach;
            double limit = 2 * Math.Sqrt(current + error) * (1 + BoundSlack);
            int near = nearest[i];
            int open = 0;
            for (int t = 0; t < count; t++)
            {
                exact[t] = !(separation[(t * k) + near] > limit);
                open += exact[t] ? 1 : 0;
            }

            // A screen decides candidate t both ways: provably farther than D_i (min = D_i, no double
            // needed) or provably nearer (the double is needed anyway, so the next screen is skipped).
            int undecided = open;
            bool screened = false;
            for (int level = HasByteScreen ? 0 : 1; level < 2 && undecided > 0 && undecided == open && screen; level++)
            {
                // Only the candidates still open are screened (each one's estimate and error are the full screen's).
                if (open == count)
                {
                    screens.Estimate(level == 0, xs, i, dotsF, estimates, errors);
                }
                else
                {
                    int listed = 0;
                    for (int t = 0; t < count; t++)
                    {
                        which[listed] = t;
                        listed += exact[t] ? 1 : 0;
                    }

                    screens.Estimate(level == 0, xs, i, which[..listed], dotsF, someEstimates[..listed], someErrors[..listed]);
                    for (int m = 0; m < listed; m++)
                    {
                        estimates[which[m]] = someEstimates[m];
                        errors[which[m]] = someErrors[m];
                    }
                }

                screened = true;
                for (int t = 0; t < count; t++)
                {
                    if (exact[t])
                    {
                        double value = ((-2.0 * estimates[t]) + _rowNormSq[candidates[t]]) + _rowNormSq[i];
                        double margin = (2 * errors[t]) + (2 * error);
                        if (value - margin > current)
                        {
                            exact[t] = false; // the double distance exceeds D_i: min(D_i, ·) = D_i
                            open--;
                            undecided--;
                        }
                        else if (value + margin < current)
                        {
                            undecided--;
                        }
                    }
                }
            }

            // D^t_i = min(D_i, max(0, v)) with the double value v within M of the screened one, so it lies between
            // the same expression at the screened value ∓ M (no screen: between 0 and D_i).
            for (int t = 0; t < count; t++)
            {
                openFlags[(i * count) + t] = exact[t] ? (byte)1 : (byte)0;
                if (!exact[t])
                {
                    candidateDistances[(t * n) + i] = current;
                    lows[t] += current;
                    highs[t] += current;
                }
                else if (screened)
                {
                    double value = ((-2.0 * estimates[t]) + _rowNormSq[candidates[t]]) + _rowNormSq[i];
                    double margin = (2 * errors[t]) + (2 * error);
                    lows[t] += Math.Min(current, Math.Max(0, value - margin));
                    highs[t] += Math.Min(current, Math.Max(0, value + margin));
                }
                else
                {
                    highs[t] += current;
                }
            }
        }

        // ScreenChunk for three candidates with the byte screen: ScreenRow's tests and interval ends for the three
        // candidates at once (vector lanes; the same operations per lane, so the same values as ScreenRow with the same
        // screen). A row the byte screen leaves open without proving any candidate nearer needs the float screen:
        // ScreenRow takes it whole.
        void ScreenChunkThree(int chunk, Span<double> lows, Span<double> highs)
        {
            ReadOnlySpan2D<T> xs = _x.Span;
            Span<double> scratch = Scratch(4 * 3);
            Span<float> dotsF = stackalloc float[3];
            Span<bool> exact = stackalloc bool[3];
            Span<int> which = stackalloc int[3];
            Span<float> dots = stackalloc float[4]; // lane 3 unused
            dots.Clear();
            Span<long> sums = stackalloc long[3];
            ReadOnlySpan<float> scaled = screens.Scaled[..(3 * d)];
            ReadOnlySpan<short> words = screens.Words;
            bool useWords = !words.IsEmpty;
            screens.ByteTerms(out Vector256<double> corr, out Vector256<double> corrError, out Vector256<double> centreNorm);
            screens.WordTerms(out Vector256<double> wordScale, out Vector256<double> wordError);
            Vector256<double> candidateNormSq = Vector256.Create(_rowNormSq[candidates[0]], _rowNormSq[candidates[1]], _rowNormSq[candidates[2]], 0);
            double factor = screens.Factor;
            Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
            byte[] quant = _quant!;
            for (int row = chunk * ChunkedRows.ChunkSize, end = Math.Min(n, row + ChunkedRows.ChunkSize); row < end; row++)
            {
                double current = closest[row];
                double reach = _rowNorm[row] + maxNorm;
                double error = errorScale * reach * reach;
                double limit = 2 * Math.Sqrt(current + error) * (1 + BoundSlack);
                Vector256<double> apart = Vector256.LoadUnsafe(ref separationByNearest[nearest[row] * 4]);
                uint open = ~Vector256.GreaterThan(apart, Vector256.Create(limit)).ExtractMostSignificantBits() & 7;
                Vector256<double> cur = Vector256.Create(current);
                candidateDistances[row] = current;
                candidateDistances[n + row] = current;
                candidateDistances[(2 * n) + row] = current;
                if (open == 0)
                {
                    openFlags[row * 3] = 0;
                    openFlags[(row * 3) + 1] = 0;
                    openFlags[(row * 3) + 2] = 0;
                    low += cur;
                    high += cur;
                    continue;
                }

                // DotScreen.Estimate's byte screen, lane by lane.
                Vector256<double> estimate, err;
                if (useWords)
                {
                    WordDots.Dots(quant.AsSpan(row * d, d), words, d, default, sums);
                    Vector256<double> product = wordScale * Vector256.Create((double)sums[0], sums[1], sums[2], 0);
                    estimate = product + corr;
                    double rowTerm = _quantResidual[row] + (Math.ScaleB(1.0, -50) * _quantNorm[row]);
                    err = ((((Vector256.Create(rowTerm) * centreNorm) + wordError) + (Vector256.Abs(product) * Math.ScaleB(1.0, -51))) + Vector256.Create(1e-30)) + corrError;
                }
                else
                {
                    FloatDots.Dots(quant.AsSpan(row * d, d), scaled, dots[..3]);
                    estimate = Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref dots[0])) + corr;
                    double scale = (factor * _quantNorm[row]) + _quantResidual[row];
                    err = ((Vector256.Create(scale) * centreNorm) + Vector256.Create(1e-30)) + corrError;
                }

                Vector256<double> value = ((Vector256.Create(-2.0) * estimate) + candidateNormSq) + Vector256.Create(_rowNormSq[row]);
                Vector256<double> margin = (Vector256.Create(2.0) * err) + Vector256.Create(2 * error);
                Vector256<double> lowEnd = value - margin, highEnd = value + margin;
                uint farther = Vector256.GreaterThan(lowEnd, cur).ExtractMostSignificantBits();
                uint nearer = Vector256.LessThan(highEnd, cur).ExtractMostSignificantBits();
                uint exactBits = open & ~farther;
                if ((exactBits & ~nearer) != 0 && (exactBits & nearer) == 0)
                {
                    ScreenRow(xs, row, 3, scratch, dotsF, exact, which, lows, highs);
                    continue;
                }

                openFlags[row * 3] = (byte)(exactBits & 1);
                openFlags[(row * 3) + 1] = (byte)((exactBits >> 1) & 1);
                openFlags[(row * 3) + 2] = (byte)(exactBits >> 2);
                Vector256<double> isExact = Vector256.Create((exactBits & 1) != 0 ? -1L : 0, (exactBits & 2) != 0 ? -1L : 0, (exactBits & 4) != 0 ? -1L : 0, 0).AsDouble();
                low += Vector256.ConditionalSelect(isExact, Vector256.Min(cur, Vector256.Max(Vector256<double>.Zero, lowEnd)), cur);
                high += Vector256.ConditionalSelect(isExact, Vector256.Min(cur, Vector256.Max(Vector256<double>.Zero, highEnd)), cur);
            }

            for (int t = 0; t < 3; t++)
            {
                lows[t] += low.GetElement(t);
                highs[t] += high.GetElement(t);
            }
        }

        // The double distances of one chunk's flagged pairs of the needed candidates, in row order, with a later row
        // prefetched (they are a scattered part of the chunk, so fetching them would otherwise dominate); then the needed
        // candidates' potentials' partial sums in row order, as one pass over the rows would add them.
        void ExactChunk(int chunk, int count)
        {
            ReadOnlySpan2D<T> xs = _x.Span;
            Span<double> scratch = Scratch(d + count);
            Span<double> row = scratch[..d];
            Span<double> dots = scratch.Slice(d, count);
            Span<int> list = stackalloc int[ChunkedRows.ChunkSize];
            int listed = 0;
            int first = chunk * ChunkedRows.ChunkSize, end = Math.Min(n, first + ChunkedRows.ChunkSize);
            for (int i = first; i < end; i++)
            {
                bool any = false;
                for (int t = 0; t < count; t++)
                {
                    any |= needed[t] && openFlags[(i * count) + t] != 0;
                }

                if (any)
                {
                    list[listed++] = i;
                }
            }

            for (int m = 0; m < listed; m++)
            {
                if (m + PrefetchAhead < listed)
                {
                    StreamRow(xs.GetRowSpan(list[m + PrefetchAhead]));
                    if (m + PrefetchAhead + 1 < listed)
                    {
                        StreamRow(xs.GetRowSpan(list[m + PrefetchAhead + 1]));
                    }
                }

                int i = list[m];
                int only = OnlyCandidate(i, count);
                if (only >= 0)
                {
                    // One candidate (the pick, once decided, for most rows): its dot straight from the input row, two rows
                    // at a time when the next listed row needs the same one (DotCentredPair: LoadCentred + Dot's bits).
                    ReadOnlySpan<double> candidate = candidateRows.AsSpan(only * d, d);
                    if (m + 1 < listed && OnlyCandidate(list[m + 1], count) == only)
                    {
                        int next = list[++m];
                        KMeansKernels.DotCentredPair(xs.GetRowSpan(i), xs.GetRowSpan(next), _mean, candidate, out double dot, out double nextDot);
                        SetExact(next, only, nextDot);
                        SetExact(i, only, dot);
                    }
                    else
                    {
                        KMeansKernels.DotCentredPair(xs.GetRowSpan(i), xs.GetRowSpan(i), _mean, candidate, out double dot, out _);
                        SetExact(i, only, dot);
                    }

                    continue;
                }

                KMeansKernels.LoadCentred(xs.GetRowSpan(i), _mean, row);
                KMeansKernels.Dots(row, candidateRows.AsSpan(0, count * d), dots);
                for (int t = 0; t < count; t++)
                {
                    if (needed[t] && openFlags[(i * count) + t] != 0)
                    {
                        SetExact(i, t, dots[t]);
                    }
                }
            }

            Span<double> sums = partialPotentials.AsSpan(chunk * count, count);
            for (int t = 0; t < count; t++)
            {
                double sum = 0;
                for (int i = first; i < end && needed[t]; i++)
                {
                    sum += candidateDistances[(t * n) + i];
                }

                sums[t] = sum;
            }
        }

        // The one needed candidate whose double distance row i takes, or −1 when it takes several.
        int OnlyCandidate(int i, int count)
        {
            int only = -1;
            for (int t = 0; t < count; t++)
            {
                if (needed[t] && openFlags[(i * count) + t] != 0)
                {
                    if (only >= 0)
                    {
                        return -1;
                    }

                    only = t;
                }
            }

            return only;
        }

        // D^t_i = min(D_i, ‖x_i − x_{cand t}‖²) from the exact dot.
        void SetExact(int i, int t, double dot) =>
            candidateDistances[(t * n) + i] = Math.Min(closest[i], Math.Max(0, ((-2.0 * dot) + _rowNormSq[candidates[t]]) + _rowNormSq[i]));
    }

    /// <summary>
    /// scikit-learn 1.2.1 <c>init='random'</c>: writes the rows <c>permutation(n)[:k]</c> drawn from
    /// <paramref name="random"/> (data-independent, like <see cref="DrawPlusPlus"/>).
    /// </summary>
    public static void DrawRandomRows(Mt19937 random, int n, Span<int> indices)
    {
        int[] permutation = new int[n];
        for (int i = 0; i < n; i++)
        {
            permutation[i] = i;
        }

        // numpy legacy shuffle: for i = n−1 … 1, swap with random_interval(i), i.e. masked rejection in [0, i].
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        permutation.AsSpan(0, indices.Length).CopyTo(indices);
    }

    /// <summary>The centred rows <paramref name="indices"/> as centres (k×d).</summary>
    public void LoadRows(ReadOnlySpan<int> indices, Span<double> centres)
    {
        for (int c = 0; c < indices.Length; c++)
        {
            LoadRow(indices[c], centres.Slice(c * _d, _d));
        }
    }

    /// <summary>Centres given in input coordinates, centred (sklearn subtracts <c>X_mean</c> from an array <c>init</c>).</summary>
    public void GivenCentres(ReadOnlySpan2D<double> given, Span<double> centres)
    {
        for (int c = 0; c < given.Height; c++)
        {
            TensorPrimitives.Subtract(given.GetRowSpan(c), _mean, centres.Slice(c * _d, _d));
        }
    }
}
