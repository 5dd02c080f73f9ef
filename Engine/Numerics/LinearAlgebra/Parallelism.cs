using FashionCore.Internals;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>Static work splitting: thread t always gets the same contiguous range, so results never depend on timing.</summary>
internal static class Parallelism
{
    /// <summary>Threads to use for <paramref name="workItems"/> items.</summary>
    public static int Threads(int maxDegreeOfParallelism, int workItems)
    {
        int threads = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        return Math.Max(1, Math.Min(threads, workItems));
    }

    /// <summary>The contiguous range [first, end) of <paramref name="count"/> items owned by <paramref name="thread"/>.</summary>
    public static (int First, int End) Range(int count, int threads, int thread)
    {
        long first = (long)count * thread / threads;
        long end = (long)count * (thread + 1) / threads;
        return ((int)first, (int)end);
    }

    /// <summary>Runs body(0..threads) with one task per thread; inline when there is one.</summary>
    public static void For(int threads, Action<int> body)
    {
        if (threads == 1)
        {
            body(0);
            return;
        }

        Parallel.For(0, threads, EngineParallel.Options(threads), body);
    }
}
