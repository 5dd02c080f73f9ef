namespace FashionCore.Models.Linear;

/// <summary>
/// What <see cref="SagLaneSplitSolver"/>'s workers decide at the end of each epoch: the weights of each problem that
/// stopped (each worker fills its half's features), and per worker which problems are still running (both workers
/// decide alike, but each reads only its own record, so neither races the other).
/// </summary>
internal sealed class SagLaneSplitResults
{
    private readonly int[] _remaining = new int[2];
    private readonly bool[,] _stopped;
    private readonly double[][] _intercepts;
    private readonly int[] _iterations;
    private readonly bool[] _converged;
    private readonly double[] _changes;

    /// <param name="d">Features.</param>
    /// <param name="lanes">Weight columns.</param>
    /// <param name="multinomial">One problem over all lanes (else one binary problem per lane).</param>
    public SagLaneSplitResults(int d, int lanes, bool multinomial)
    {
        int problems = multinomial ? 1 : lanes;
        int columns = multinomial ? lanes : 1;
        Weights = new double[problems][];
        _intercepts = new double[problems][];
        for (int c = 0; c < problems; c++)
        {
            Weights[c] = new double[d * columns];
            _intercepts[c] = new double[columns];
        }

        _stopped = new bool[2, problems];
        _iterations = new int[problems];
        _converged = new bool[problems];
        _changes = new double[problems];
        _remaining[0] = problems;
        _remaining[1] = problems;
    }

    /// <summary>Per problem, its d×columns weights (row-major; each worker writes its features).</summary>
    public double[][] Weights { get; }

    /// <summary>Problems still running, as worker <paramref name="worker"/> sees them.</summary>
    public int Remaining(int worker) => _remaining[worker];

    /// <summary>Whether worker <paramref name="worker"/> has stopped problem <paramref name="problem"/>.</summary>
    public bool Stopped(int worker, int problem) => _stopped[worker, problem];

    /// <summary>Worker <paramref name="worker"/> stops <paramref name="problem"/>: lanes [<paramref name="first"/>, + <paramref name="count"/>) of <paramref name="b"/> are its intercepts.</summary>
    public void Stop(int worker, int problem, int first, int count, in SagLanes b, int epoch, bool converged, double change)
    {
        _stopped[worker, problem] = true;
        _remaining[worker]--;
        if (worker == 0)
        {
            for (int c = 0; c < count; c++)
            {
                _intercepts[problem][c] = b[first + c];
            }

            _iterations[problem] = epoch;
            _converged[problem] = converged;
            _changes[problem] = change;
        }
    }

    /// <summary>The results, once both workers have finished.</summary>
    public SagResult[] ToResults()
    {
        SagResult[] results = new SagResult[Weights.Length];
        for (int c = 0; c < results.Length; c++)
        {
            results[c] = new SagResult(Weights[c], _intercepts[c], _iterations[c], _converged[c], _changes[c]);
        }

        return results;
    }
}
