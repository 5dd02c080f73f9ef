using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using FashionCore.Tools.Bench;
using FashionCore.Tools.Output;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary>
/// <c>fashion bench</c>: in-process median seconds of the study's stages, named as the scikit-learn peer's
/// <c>stages_sklearn.py</c> (the extra stages <c>hog_saga100</c> and <c>pca40_saga100</c> as <c>Bench/peer/dense_saga_sklearn.py</c>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        Option<bool> json = CommonOptions.Json();
        Option<bool> noDownload = CommonOptions.NoDownload();
        Option<int> seed = CommonOptions.Seed();
        seed.Description = "Accepted like every command's --seed but unused: the stages always use random_state 0, as the peer script stages_sklearn.py does, so the two compare.";
        Option<int> threads = CommonOptions.Threads();
        Option<int> reps = ValueParsers.Int("--reps", "Repetitions per stage; the median is reported (default 3).", 3);
        Option<string?> stages = new("--stages")
        {
            Description = $"Comma-separated stages (default the peer's: {string.Join(",", StudyStages.PeerStages)}; also {string.Join(",", StudyStages.AllStages.Except(StudyStages.PeerStages))}).",
        };
        var command = new Command("bench", "Time the study's stages in-process (median seconds), with the same stage names as the scikit-learn peer script.")
        {
            data, seed, threads, json, noDownload, reps, stages,
        };
        command.SetAction(result => UserError.Run(() =>
        {
            int repetitions = result.GetValue(reps);
            if (repetitions < 1)
            {
                throw new OptionException("--reps", $"must be at least 1, got {repetitions}.");
            }

            int workers = CommonOptions.CheckThreads(result.GetValue(threads));
            CommonOptions.CheckSeed(result.GetValue(seed));

            HashSet<string> selected = [.. result.GetValue(stages)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? StudyStages.PeerStages];
            if (selected.FirstOrDefault(s => !StudyStages.AllStages.Contains(s)) is string unknown)
            {
                throw new OptionException("--stages", $"unknown stage '{unknown}'; stages: {string.Join(", ", StudyStages.AllStages)}.");
            }

            if (selected.Count == 0)
            {
                // ",," names nothing: timing no stage and exiting 0 would pass for a benchmark that ran.
                throw new OptionException("--stages", $"no stage named in '{result.GetValue(stages)}'; stages: {string.Join(", ", StudyStages.AllStages)}.");
            }

            bool asJson = result.GetValue(json);
            string directory = StudyData.Load(result.GetValue(data), result.GetValue(noDownload), asJson, workers).Directory;
            var progress = new ConsoleProgress(asJson, workers);
            Dictionary<string, double> timings = progress.Bar("stages", selected.Count, reporter =>
            {
                int done = 0;
                return StudyStages.Run(directory, repetitions, selected, workers, _ => reporter?.Report(new(done++, selected.Count)));
            });
            if (asJson)
            {
                var payload = new JsonObject();
                foreach ((string stage, double value) in timings)
                {
                    payload[stage] = value;
                }

                JsonOutput.Write(payload);
                return 0;
            }

            Console.WriteLine($"median of {repetitions} in-process repetitions ({workers} threads; seconds unless noted):");
            foreach ((string stage, double value) in timings)
            {
                // The hand-over probe's seconds (~1e-7) would print as 0 with six decimals.
                string shown = value is > 0 and < 1e-3 ? value.ToString("0.###e+0", CultureInfo.InvariantCulture) : value.ToString("0.######", CultureInfo.InvariantCulture);
                Console.WriteLine($"  {stage,-24} {shown,12}");
            }

            return 0;
        }));
        return command;
    }
}
