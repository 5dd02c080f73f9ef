using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// Who runs <see cref="SagLaneSplitSolver"/>'s second worker after the caller has taken it over: the caller, until the
/// partner thread (parked meanwhile) asks for it back and the caller hands it back at a round boundary.
/// </summary>
/// <remarks>
/// <para>
/// One state word, each transition made by the thread that owns the worker at that moment (so it is never run by both,
/// nor skipped): the partner parks (<see cref="Park"/>, it stopped after the caller's hand-over octet), asks back
/// (<see cref="Ask"/>, parked only), and the caller hands back (<see cref="TryHandBack"/>, at a round boundary, asked
/// only). A release store publishes the worker's state with each transition and the acquire load that sees it makes
/// it visible to the next owner.
/// </para>
/// <para>
/// The word sits alone in the middle of three cache lines: the caller reads it every round while it runs both workers,
/// and nothing else of either worker may share its line (false sharing made the split 25% slower once).
/// </para>
/// </remarks>
internal sealed class SagLaneHandOff
{
    private const int Running = 0;
    private const int Parked = 1;
    private const int Asking = 2;
    private const int Done = 3;
    private const int Cell = 16;

    private readonly int[] _cells = new int[3 * Cell];
    private int _callerCpu = -1;

    public SagLaneHandOff() => State = Parked;

    /// <summary>The CPU the caller ran on when it last took the worker over (the partner leaves it before asking back).</summary>
    public int CallerCpu
    {
        get => Volatile.Read(ref _callerCpu);
        set => Volatile.Write(ref _callerCpu, value);
    }

    private ref int State => ref _cells[Cell];

    /// <summary>Partner: it has started and runs its worker (the state starts parked: the caller runs both).</summary>
    public void Start() => Volatile.Write(ref State, Running);

    /// <summary>Partner: it has stopped after the hand-over octet, and the caller may run its worker; false once the fit is over.</summary>
    public bool Park() => Interlocked.CompareExchange(ref State, Parked, Running) == Running;

    /// <summary>Caller: waits until the partner has parked (it stops after the octet that carried the hand-over flag).</summary>
    /// <exception cref="SagLaneExchange.AbortedException">The partner failed.</exception>
    public void WaitParked(SagLaneExchange exchange)
    {
        int spins = 0;
        while (Volatile.Read(ref State) == Running)
        {
            Pause(ref spins, exchange);
        }
    }

    /// <summary>Partner: asks for its worker back; false once the fit is over.</summary>
    public bool Ask() => Interlocked.CompareExchange(ref State, Asking, Parked) == Parked;

    /// <summary>Partner: after <see cref="Ask"/>, waits for the worker (true) or the end of the fit (false).</summary>
    /// <exception cref="SagLaneExchange.AbortedException">The caller failed.</exception>
    public bool WaitHandedBack(SagLaneExchange exchange)
    {
        int spins = 0;
        while (true)
        {
            int state = Volatile.Read(ref State);
            if (state == Running)
            {
                return true;
            }

            if (state == Done)
            {
                return false;
            }

            Pause(ref spins, exchange);
        }
    }

    /// <summary>Whether the fit is over (the parked partner ends).</summary>
    public bool IsDone => Volatile.Read(ref State) == Done;

    /// <summary>
    /// Caller, at a round boundary while it runs both workers: if the partner asks, hands its worker back and returns
    /// true (the caller then runs only the first worker from the next round).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryHandBack()
    {
        if (Volatile.Read(ref State) != Asking)
        {
            return false;
        }

        Volatile.Write(ref State, Running);
        return true;
    }

    /// <summary>Caller, at the end of the fit while it runs both workers: the parked (or asking) partner ends.</summary>
    public void Finish() => Volatile.Write(ref State, Done);

    private static void Pause(ref int spins, SagLaneExchange exchange)
    {
        if (++spins < 1 << 11)
        {
            if (X86Base.IsSupported)
            {
                X86Base.Pause();
            }
            else
            {
                Thread.SpinWait(1);
            }

            return;
        }

        if (exchange.Aborted)
        {
            throw new SagLaneExchange.AbortedException();
        }

        Thread.Yield();
    }
}
