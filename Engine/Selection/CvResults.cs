using System.Globalization;
using System.Text;
using FashionCore.Numerics;

namespace FashionCore.Selection;

/// <summary>
/// scikit-learn's <c>GridSearchCV.cv_results_</c> (with <c>return_train_score=False</c>): per candidate the parameters,
/// mean/std fit and score times, each split's test score, mean/std test score and rank.
/// </summary>
/// <remarks>
/// Means and population standard deviations (ddof 0) are computed with numpy's summation order, so for the same split
/// scores they equal sklearn's bit for bit. <c>rank_test_score</c> is <c>rankdata(−mean, method="min")</c>: tied means share
/// the smallest rank (1, 1, 3, …); NaN means rank after every finite one (all NaN → all rank 1).
/// </remarks>
public sealed class CvResults
{
    private readonly double[] _scores;
    private readonly double[] _fitTimes;
    private readonly double[] _scoreTimes;
    private readonly double[] _meanFit;
    private readonly double[] _stdFit;
    private readonly double[] _meanScoreTime;
    private readonly double[] _stdScoreTime;
    private readonly double[] _meanTest;
    private readonly double[] _stdTest;
    private readonly int[] _rank;

    internal CvResults(IReadOnlyList<ParameterSet> parameters, int splitCount, double[] scores, double[] fitTimes, double[] scoreTimes)
    {
        Parameters = parameters;
        SplitCount = splitCount;
        _scores = scores;
        _fitTimes = fitTimes;
        _scoreTimes = scoreTimes;
        int n = parameters.Count;
        _meanFit = new double[n];
        _stdFit = new double[n];
        _meanScoreTime = new double[n];
        _stdScoreTime = new double[n];
        _meanTest = new double[n];
        _stdTest = new double[n];
        for (int c = 0; c < n; c++)
        {
            Summarize(fitTimes, c, _meanFit, _stdFit);
            Summarize(scoreTimes, c, _meanScoreTime, _stdScoreTime);
            Summarize(scores, c, _meanTest, _stdTest);
        }

        _rank = Rank(_meanTest);
    }

    /// <summary>The candidates in grid order (sklearn <c>params</c>).</summary>
    public IReadOnlyList<ParameterSet> Parameters { get; }

    /// <summary>Number of candidates.</summary>
    public int CandidateCount => Parameters.Count;

    /// <summary>Number of splits (folds).</summary>
    public int SplitCount { get; }

    /// <summary>sklearn <c>mean_fit_time</c>, seconds.</summary>
    public ReadOnlySpan<double> MeanFitTime => _meanFit;

    /// <summary>sklearn <c>std_fit_time</c>, seconds (population std).</summary>
    public ReadOnlySpan<double> StdFitTime => _stdFit;

    /// <summary>sklearn <c>mean_score_time</c>, seconds.</summary>
    public ReadOnlySpan<double> MeanScoreTime => _meanScoreTime;

    /// <summary>sklearn <c>std_score_time</c>, seconds.</summary>
    public ReadOnlySpan<double> StdScoreTime => _stdScoreTime;

    /// <summary>sklearn <c>mean_test_score</c>.</summary>
    public ReadOnlySpan<double> MeanTestScore => _meanTest;

    /// <summary>sklearn <c>std_test_score</c> (population std).</summary>
    public ReadOnlySpan<double> StdTestScore => _stdTest;

    /// <summary>sklearn <c>rank_test_score</c> (1 = best; ties share the smallest rank).</summary>
    public ReadOnlySpan<int> RankTestScore => _rank;

    /// <summary>sklearn <c>split{split}_test_score[candidate]</c>.</summary>
    /// <param name="split">Split (fold) index.</param>
    /// <param name="candidate">Candidate index.</param>
    /// <returns>The score.</returns>
    public double SplitTestScore(int split, int candidate) => _scores[At(candidate, split)];

    /// <summary>Wall-clock seconds of the fit of <paramref name="candidate"/> on split <paramref name="split"/>.</summary>
    /// <param name="split">Split index.</param>
    /// <param name="candidate">Candidate index.</param>
    /// <returns>Seconds.</returns>
    public double FitTime(int split, int candidate) => _fitTimes[At(candidate, split)];

    /// <summary>Wall-clock seconds of predicting and scoring <paramref name="candidate"/>'s test split <paramref name="split"/>.</summary>
    /// <param name="split">Split index.</param>
    /// <param name="candidate">Candidate index.</param>
    /// <returns>Seconds.</returns>
    public double ScoreTime(int split, int candidate) => _scoreTimes[At(candidate, split)];

    /// <summary>
    /// The table as tab-separated text with sklearn's column names (<c>mean_fit_time … param_&lt;path&gt; … params,
    /// split0_test_score … rank_test_score</c>), one row per candidate; numbers in round-trip format.
    /// </summary>
    /// <returns>The text, ending with a newline.</returns>
    public string ToTsv()
    {
        List<string> paramNames = [];
        foreach (ParameterSet set in Parameters)
        {
            foreach (KeyValuePair<string, object?> pair in set)
            {
                if (!paramNames.Contains(pair.Key))
                {
                    paramNames.Add(pair.Key);
                }
            }
        }

        StringBuilder sb = new("mean_fit_time\tstd_fit_time\tmean_score_time\tstd_score_time");
        foreach (string name in paramNames)
        {
            sb.Append("\tparam_").Append(name);
        }

        sb.Append("\tparams");
        for (int f = 0; f < SplitCount; f++)
        {
            sb.Append("\tsplit").Append(f).Append("_test_score");
        }

        sb.Append("\tmean_test_score\tstd_test_score\trank_test_score\n");
        for (int c = 0; c < CandidateCount; c++)
        {
            sb.Append(R(_meanFit[c])).Append('\t').Append(R(_stdFit[c])).Append('\t').Append(R(_meanScoreTime[c])).Append('\t').Append(R(_stdScoreTime[c]));
            foreach (string name in paramNames)
            {
                sb.Append('\t').Append(Parameters[c].TryGetValue(name, out object? v) ? ParameterSet.FormatValue(v) : "--");
            }

            sb.Append('\t').Append(Parameters[c]);
            for (int f = 0; f < SplitCount; f++)
            {
                sb.Append('\t').Append(R(SplitTestScore(f, c)));
            }

            sb.Append('\t').Append(R(_meanTest[c])).Append('\t').Append(R(_stdTest[c])).Append('\t').Append(_rank[c]).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary><c>rankdata(−means, "min")</c> with sklearn's NaN rule (NaN → below every finite mean).</summary>
    internal static int[] Rank(ReadOnlySpan<double> means)
    {
        int n = means.Length;
        int[] rank = new int[n];
        bool allNaN = true;
        double min = double.PositiveInfinity;
        foreach (double m in means)
        {
            if (!double.IsNaN(m))
            {
                allNaN = false;
                min = Math.Min(min, m);
            }
        }

        if (allNaN)
        {
            Array.Fill(rank, 1);
            return rank;
        }

        double nanValue = min - 1;
        for (int i = 0; i < n; i++)
        {
            double mi = double.IsNaN(means[i]) ? nanValue : means[i];
            int greater = 0;
            for (int j = 0; j < n; j++)
            {
                double mj = double.IsNaN(means[j]) ? nanValue : means[j];
                if (mj > mi)
                {
                    greater++;
                }
            }

            rank[i] = greater + 1;
        }

        return rank;
    }

    private int At(int candidate, int split)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)candidate, (uint)CandidateCount, nameof(candidate));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)split, (uint)SplitCount, nameof(split));
        return (candidate * SplitCount) + split;
    }

    private void Summarize(double[] values, int candidate, double[] mean, double[] std)
    {
        ReadOnlySpan<double> row = values.AsSpan(candidate * SplitCount, SplitCount);
        mean[candidate] = NumpySum.Mean(row);
        std[candidate] = NumpySum.PopulationStd(row, mean[candidate]);
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
