using System.Numerics;
using System.Runtime.InteropServices;

namespace FashionCore.Internals;

/// <summary>
/// Which CPU a thread runs on, and moving the calling thread off one: for the two threads of a lockstep pair
/// (<see cref="Models.Linear.SagLaneSplitSolver"/>), which crawl while they share a CPU.
/// </summary>
/// <remarks>
/// <para>
/// A thread-pool worker woken to run a task is often placed on the waker's CPU (Linux prefers it for a thread that
/// has just been woken), and the load balancer moves one of the two only several milliseconds later. Two threads that
/// spin in lockstep pay that wait in every round: measured on the 2-vCPU VM, 3 of 7 pixel SAGA fits of
/// <c>fashion bench</c> started with both workers on one CPU and lost 7–11 ms each (of ~145 ms) before being spread.
/// </para>
/// <para>
/// <see cref="LeaveCpu"/> narrows the calling thread's affinity to every allowed CPU but the given one, which makes
/// Linux move it at once, and then restores the original affinity (a thread is never moved back for that). Only
/// scheduling changes, never a result. Off Linux, without libc, or when a call fails, nothing happens.
/// </para>
/// </remarks>
internal static partial class CpuPlacement
{
    // cpu_set_t of glibc: 1024 CPUs.
    private const int MaskWords = 16;

    private static volatile bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>The CPU the calling thread runs on now (it may move at any time), or −1 where that is unknown.</summary>
    public static int Current()
    {
        if (s_unavailable)
        {
            return -1;
        }

        try
        {
            return SchedGetCpu();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return -1;
        }
    }

    /// <summary>
    /// If the calling thread runs on <paramref name="cpu"/> and may run on another CPU, moves it to another allowed CPU
    /// (the kernel picks which) and restores its affinity.
    /// </summary>
    /// <param name="cpu">The CPU to leave (as <see cref="Current"/> gives it; negative: none).</param>
    /// <returns>Whether the thread was moved.</returns>
    public static unsafe bool LeaveCpu(int cpu)
    {
        if (s_unavailable || cpu < 0 || cpu >= MaskWords * 64 || Current() != cpu)
        {
            return false;
        }

        ulong* allowed = stackalloc ulong[MaskWords];
        ulong* others = stackalloc ulong[MaskWords];
        nuint bytes = MaskWords * sizeof(ulong);
        try
        {
            if (SchedGetAffinity(0, bytes, allowed) != 0)
            {
                return false;
            }

            ulong any = 0;
            for (int w = 0; w < MaskWords; w++)
            {
                others[w] = allowed[w];
            }

            others[cpu >> 6] &= ~(1UL << (cpu & 63));
            for (int w = 0; w < MaskWords; w++)
            {
                any |= others[w];
            }

            if (any == 0 || SchedSetAffinity(0, bytes, others) != 0)
            {
                return false;
            }

            SchedSetAffinity(0, bytes, allowed);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return false;
        }
    }

    /// <summary>How many CPUs the calling thread may run on, or −1 where that is unknown.</summary>
    public static unsafe int AllowedCount()
    {
        if (s_unavailable)
        {
            return -1;
        }

        ulong* allowed = stackalloc ulong[MaskWords];
        try
        {
            if (SchedGetAffinity(0, MaskWords * sizeof(ulong), allowed) != 0)
            {
                return -1;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return -1;
        }

        int count = 0;
        for (int w = 0; w < MaskWords; w++)
        {
            count += BitOperations.PopCount(allowed[w]);
        }

        return count;
    }

    [LibraryImport("libc", EntryPoint = "sched_getcpu")]
    private static partial int SchedGetCpu();

    [LibraryImport("libc", EntryPoint = "sched_getaffinity")]
    private static unsafe partial int SchedGetAffinity(int pid, nuint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static unsafe partial int SchedSetAffinity(int pid, nuint size, ulong* mask);
}
