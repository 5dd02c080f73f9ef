using System.Globalization;
using System.Text;
using FashionCore.Data;
using FashionCore.Metrics;

namespace FashionCore.Tools.Report;

/// <summary>report.md: the study's experiments, each reproduced number next to the study's value and the difference.</summary>
public static class ReportMarkdown
{
    /// <summary>The Markdown text.</summary>
    /// <param name="r">The run.</param>
    /// <param name="files">The files written (names relative to the report directory), as a map from role to name.</param>
    /// <returns>Markdown.</returns>
    public static string ToMarkdown(StudyResult r, ReportFiles files)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(files);
        var md = new StringBuilder();
        md.AppendLine("# Fashion-MNIST study, reproduced with FashionCore").AppendLine();
        md.AppendLine(Inv($"Seed (random_state of every estimator) **{r.Seed}**, {r.Threads} threads, data from `{r.DataDirectory}`. ")
            + Inv($"Whole run **{r.TotalSeconds:F1} s** (stage times at the end). Every number is also in `{files.Json}`."));
        md.AppendLine();
        md.AppendLine("\"study\" is the value printed in the study; Δ = ours − study. Accuracies are fractions of rows (train 60 000, test 10 000).").AppendLine();

        Features(md, r, files);
        ClassifierResult px = r.Classifier("pixels");
        md.AppendLine("## Logistic regression on pixels").AppendLine();
        md.AppendLine("`LogisticRegression(solver='saga', max_iter=3)` on pixels/255 (the study's final model).").AppendLine();
        Compare(md, [("train accuracy", px.TrainAccuracy, StudyReference.PixelsTrain), ("test accuracy", px.TestAccuracy, StudyReference.PixelsTest), ("5-fold CV mean", px.CvMean, StudyReference.PixelsCv5),
            ("test macro avg F1", px.TestReport.MacroAverage.F1, StudyReference.PixelsReportAverages), ("test weighted avg F1", px.TestReport.WeightedAverage.F1, StudyReference.PixelsReportAverages)]);
        Details(md, px, files);

        md.AppendLine("## Grid searches (pixels/255, max_iter=1, 3 stratified folds)").AppendLine();
        Grid(md, r.Grids[0], "`LogisticRegression(max_iter=1)`, C ∈ {10, 100, 0.1} × solver ∈ {saga, newton-cg}", StudyReference.SolverGrid, "C=100, solver=saga", StudyReference.SolverGridBest);
        Grid(md, r.Grids[1], "`LogisticRegression(solver='saga', max_iter=1)`, C ∈ {10, 100, 0.1} × multi_class ∈ {ovr, multinomial} (the study's C=0.1 rows are cut off in its text)", StudyReference.MultiClassGrid, "C=10, multi_class=multinomial", StudyReference.MultiClassGridBest);

        ClassifierResult hog = r.Classifier("hog");
        md.AppendLine("## Logistic regression on HOG").AppendLine();
        md.AppendLine("`LogisticRegression(solver='saga')` (max_iter=100) on the 72 HOG features.").AppendLine();
        Compare(md, [("train accuracy", hog.TrainAccuracy, StudyReference.HogTrain), ("test accuracy", hog.TestAccuracy, StudyReference.HogTest), ("6-fold CV mean", hog.CvMean, StudyReference.HogCv6)]);
        PerClass(md, hog.TestReport, StudyReference.HogReport, "test");
        Details(md, hog, files);

        ClassifierResult pca = r.Classifier("pca");
        md.AppendLine("## Logistic regression on PCA-40").AppendLine();
        md.AppendLine(Inv($"StandardScaler → PCA(40) fitted on the train rows (explained variance {r.Pca40ExplainedVarianceRatio.Sum():F4}), then `LogisticRegression(solver='saga')` (max_iter=100)."));
        md.AppendLine();
        Compare(md, [("train accuracy", pca.TrainAccuracy, StudyReference.PcaTrain), ("test accuracy", pca.TestAccuracy, StudyReference.PcaTest), ("6-fold CV mean", pca.CvMean, StudyReference.PcaCv6)]);
        PerClass(md, pca.TestReport, StudyReference.PcaReport, "test");
        md.AppendLine("The study's PCA report prints `accuracy 0.81` under a test score of 0.8208 (which rounds to 0.82): its footer was probably copied from the HOG report.").AppendLine();
        Details(md, pca, files);

        ClassifierResult mix = r.Classifier("mix");
        md.AppendLine("## Logistic regression on PCA-40 + HOG").AppendLine();
        md.AppendLine("The 40 PCA components and the 72 HOG values side by side (112 features), `LogisticRegression(solver='saga', max_iter=300)`.").AppendLine();
        Compare(md, [("train accuracy", mix.TrainAccuracy, StudyReference.MixTrain), ("test accuracy", mix.TestAccuracy, double.NaN), ("6-fold CV mean", mix.CvMean, StudyReference.MixCv6)]);
        md.AppendLine("The study's classification report for this model has support 6 000 per class: it was computed on the **train** rows, so it is compared with our train report.").AppendLine();
        PerClass(md, mix.TrainReport, StudyReference.MixTrainReport, "train");
        Details(md, mix, files);

        KMeans(md, r, files);
        md.AppendLine("## Final model").AppendLine();
        md.AppendLine($"`{files.Model}`: the pixel pipeline (x/255 → LogisticRegression saga, max_iter=3) fitted on all 60 000 train rows, in the FashionCore model format "
            + "(`ModelFile.Load`, or `fashion predict --model`). It takes raw 0..255 pixels, 784 per image.").AppendLine();
        Differences(md, r);
        Timing(md, r);
        return md.ToString();
    }

    private static void Features(StringBuilder md, StudyResult r, ReportFiles files)
    {
        md.AppendLine("## Features").AppendLine();
        md.AppendLine("Heads of the three feature tables for the first five train images (IDX file order; the study's tables show the first rows of its CSV copy, another order — see below).").AppendLine();
        FeatureHeads h = r.Heads;
        md.AppendLine("Pixels (label, pixel1..pixel5, …, pixel780..pixel784):").AppendLine();
        md.AppendLine("| row | label | pixel1 | pixel2 | pixel3 | pixel4 | pixel5 | … | pixel780 | pixel781 | pixel782 | pixel783 | pixel784 |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        for (int i = 0; i < h.Labels.Length; i++)
        {
            float[] p = h.Pixels[i];
            md.AppendLine(Inv($"| {i} | {h.Labels[i]} | {string.Join(" | ", p[..5])} | … | {string.Join(" | ", p[^5..])} |"));
        }

        md.AppendLine();
        HeadTable(md, "HOG (`orientations=8`, 72 values: 0..4, …, 67..71)", h.Hog);
        HeadTable(md, "PCA-40 (components 0..4, …, 35..39)", h.Pca);
        md.AppendLine("**The study's rows found among ours.** Each of the study's five HOG rows (20 values shown with 6 decimals) was looked up among our "
            + "70 000 HOG vectors (official train and test splits); that image's PCA row is compared on its first five components:").AppendLine();
        md.AppendLine("| study row | study label | found in | index | our label | HOG max abs diff | PCA max abs diff (components 0–4) |");
        md.AppendLine("|---:|---:|---|---:|---:|---:|---:|");
        foreach (HeadMatch m in r.HeadMatches)
        {
            md.AppendLine(Inv($"| {m.StudyRow} | {m.StudyLabel} | {m.Split} | {m.Index} | {m.Label} | {m.HogMaxDifference:0.0e+0} | {m.PcaMaxDifference:0.0e+0} |"));
        }

        md.AppendLine();
        HeadMatch[] exact = [.. r.HeadMatches.Where(m => m.HogMaxDifference <= 5e-7)];
        md.AppendLine(Inv($"{exact.Length} of the 5 rows match an image to the print resolution (≤ 5e-7): our HOG equals skimage's to the last printed digit. ")
            + Inv($"{exact.Count(m => m.Split == "test")} of those are images of the official **test** split (they are in the study's *train* table), so the study's train/test split is not the official one. ")
            + "Rows without an exact match are images we could not find (no image within 1e-2). "
            + "The PCA values of the matched images agree to about 0.1 on the first components; the rest differ because the study's PCA was fitted on its own (different) "
            + "train rows with sklearn's randomized solver, and components past ~10 are sensitive to both.");
        md.AppendLine();
        md.AppendLine($"Example image (train index 0) and its HOG picture: ![HOG example]({files.HogExample})").AppendLine();
        md.AppendLine("**SIFT.** The study also tried SIFT and dropped it. That is expected on 28×28 images: SIFT finds keypoints as extrema of a difference-of-Gaussians "
            + "scale space and describes each with a 16×16-pixel window (4×4 cells of 4×4 pixels) at the keypoint's scale, so a 28×28 image has room for very few, "
            + "often zero, stable keypoints (the study saw images with none); the number of keypoints varies per image, so there is no fixed-length feature vector "
            + "for a linear classifier without an extra bag-of-words step; and its invariances (scale, rotation, viewpoint) are not what separates these centred, "
            + "size-normalised garments. HOG on a fixed grid gives a fixed 72-value vector for every image.").AppendLine();
    }

    private static void HeadTable(StringBuilder md, string title, float[][] rows)
    {
        md.AppendLine(title + ":").AppendLine();
        md.AppendLine("| row | " + string.Join(" | ", Enumerable.Range(0, 5).Select(j => j.ToString(CultureInfo.InvariantCulture))) + " | … | "
            + string.Join(" | ", Enumerable.Range(rows[0].Length - 5, 5).Select(j => j.ToString(CultureInfo.InvariantCulture))) + " |");
        md.AppendLine("|---:|" + string.Concat(Enumerable.Repeat("---:|", 5)) + "---|" + string.Concat(Enumerable.Repeat("---:|", 5)));
        for (int i = 0; i < rows.Length; i++)
        {
            md.AppendLine(Inv($"| {i} | {string.Join(" | ", rows[i][..5].Select(v => v.ToString("F6", CultureInfo.InvariantCulture)))} | … | {string.Join(" | ", rows[i][^5..].Select(v => v.ToString("F6", CultureInfo.InvariantCulture)))} |"));
        }

        md.AppendLine();
    }

    private static void Compare(StringBuilder md, (string Name, double Ours, double Study)[] rows)
    {
        md.AppendLine("| metric | ours | study | Δ |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach ((string name, double ours, double study) in rows)
        {
            md.AppendLine(double.IsNaN(study)
                ? Inv($"| {name} | {ours:F4} | (not reported) | |")
                : Inv($"| {name} | {ours:F4} | {study:0.0000##} | {ours - study:+0.0000;-0.0000;0.0000} |"));
        }

        md.AppendLine();
    }

    private static void PerClass(StringBuilder md, ClassificationReport ours, IReadOnlyList<(double Precision, double Recall, double F1)> study, string split)
    {
        md.AppendLine($"Per-class precision / recall / F1 ({split}), ours vs the study's report (2 decimals as printed):").AppendLine();
        md.AppendLine("| class | name | precision | study | recall | study | F1 | study | ΔF1 |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        double maxF1 = 0;
        for (int k = 0; k < ours.Classes.Count; k++)
        {
            ClassMetrics c = ours.Classes[k];
            (double p, double rec, double f1) = study[k];
            maxF1 = Math.Max(maxF1, Math.Abs(Math.Round(c.F1, 2) - f1));
            md.AppendLine(Inv($"| {c.Label} | {FashionMnist.ClassNames[c.Label]} | {c.Precision:F2} | {p:F2} | {c.Recall:F2} | {rec:F2} | {c.F1:F2} | {f1:F2} | {Math.Round(c.F1, 2) - f1:+0.00;-0.00;0.00} |"));
        }

        md.AppendLine();
        md.AppendLine(Inv($"Largest per-class F1 difference: {maxF1:F2}.")).AppendLine();
    }

    private static void Details(StringBuilder md, ClassifierResult c, ReportFiles files)
    {
        md.AppendLine(Inv($"Fit on all train rows: {c.FitSeconds:F2} s (running alongside the CV folds), {c.Iterations} epochs of {c.MaxIterations} ({(c.Converged ? "converged" : "not converged, like sklearn at this max_iter")}). ")
            + Inv($"CV folds: {string.Join(", ", c.CvScores.Select(s => s.ToString("F4", CultureInfo.InvariantCulture)))}."));
        md.AppendLine();
        md.AppendLine("Test classification report:").AppendLine();
        md.AppendLine("```").Append(c.TestReport.ToText()).AppendLine("```").AppendLine();
        md.AppendLine($"Test confusion matrix: ![confusion matrix, {c.Name}]({files.Confusion(c.Name)})").AppendLine();
    }

    private static void Grid(StringBuilder md, GridResult g, string title, IReadOnlyDictionary<string, StudyGridRow> study, string studyBest, double studyBestScore)
    {
        md.AppendLine($"### {title}").AppendLine();
        md.AppendLine("| params | split0 | split1 | split2 | mean | std | rank | mean fit s | study mean | study rank | Δ mean |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int c = 0; c < g.Candidates.Length; c++)
        {
            string s = study.TryGetValue(g.Candidates[c], out StudyGridRow? row)
                ? Inv($"{row.Mean:F6} | {row.Rank} | {g.MeanTestScore[c] - row.Mean:+0.0000;-0.0000;0.0000}")
                : "— | — |";
            md.AppendLine(Inv($"| {g.Candidates[c]} | {g.SplitScores[c][0]:F5} | {g.SplitScores[c][1]:F5} | {g.SplitScores[c][2]:F5} | {g.MeanTestScore[c]:F6} | {g.StdTestScore[c]:F4} | {g.RankTestScore[c]} | {g.MeanFitTime[c]:F2} | {s} |"));
        }

        md.AppendLine();
        md.AppendLine(Inv($"Best: ours **{g.Candidates[g.BestIndex]}** ({g.MeanTestScore[g.BestIndex]:F6}); study **{studyBest}** ({studyBestScore:F6}); Δ best score {g.MeanTestScore[g.BestIndex] - studyBestScore:+0.0000;-0.0000;0.0000}."));
        md.AppendLine();
    }

    private static void KMeans(StringBuilder md, StudyResult r, ReportFiles files)
    {
        ElbowResult e = r.Elbow;
        md.AppendLine("## k-means on the 5-class subset").AppendLine();
        md.AppendLine(Inv($"Train images with labels 0–4 ({e.Rows} rows), standardized (scaler fitted on all train rows), `KMeans(k, n_init=10)` for k = 1..10. ")
            + "The study shows this curve as a plot only, without numbers.");
        md.AppendLine();
        md.AppendLine("| k | SSE (inertia) | Lloyd iterations (best run) | seconds |");
        md.AppendLine("|---:|---:|---:|---:|");
        for (int i = 0; i < e.ClusterCounts.Length; i++)
        {
            md.AppendLine(Inv($"| {e.ClusterCounts[i]} | {e.Inertia[i]:F1} | {e.Iterations[i]} | {e.Seconds[i]:F2} |"));
        }

        md.AppendLine();
        md.AppendLine(Inv($"Knee (maximum distance below the chord, Kneedle): **k = {(e.Knee is int k ? k.ToString(CultureInfo.InvariantCulture) : "none")}**. ![elbow]({files.Elbow})"));
        md.AppendLine();
        ClusterResult c = r.Clusters;
        md.AppendLine(Inv($"With k = 5 the clusters have {string.Join(", ", c.ClusterSizes)} rows; adjusted Rand index against the true labels {c.AdjustedRandIndex:F4}. Contingency (rows: clusters, columns: labels 0–4):"));
        md.AppendLine();
        md.AppendLine("| cluster | " + string.Join(" | ", Enumerable.Range(0, c.Contingency[0].Length).Select(j => FashionMnist.ClassNames[j])) + " |");
        md.AppendLine("|---:|" + string.Concat(Enumerable.Repeat("---:|", c.Contingency[0].Length)));
        for (int i = 0; i < c.Contingency.Length; i++)
        {
            md.AppendLine(Inv($"| {i} | {string.Join(" | ", c.Contingency[i])} |"));
        }

        md.AppendLine();
        md.AppendLine(Inv($"3-D scatter of the subset on its first three principal components (explained variance {string.Join(" + ", c.Pca3ExplainedVarianceRatio.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}), ")
            + Inv($"coloured by cluster and by true label, rotating with the mouse, offline: [{files.Scatter}]({files.Scatter})."));
        md.AppendLine();
    }

    private static void Differences(StringBuilder md, StudyResult r)
    {
        md.AppendLine("## What differs from the study").AppendLine();
        HeadMatch[] inTest = [.. r.HeadMatches.Where(m => m.HogMaxDifference <= 5e-7 && m.Split == "test")];
        md.AppendLine("- **Data order and split.** The study read the Kaggle CSV copy of Fashion-MNIST, in another row order "
            + Inv($"(our first train image has label {r.Heads.Labels[0]}, its first row label {StudyReference.HeadLabels[0]}). ")
            + (inTest.Length > 0
                ? Inv($"More than the order differs: {inTest.Length} of the first five rows of its train tables are official test images ({string.Join(", ", inTest.Select(m => $"test #{m.Index}"))}), so its train and test sets are not the official ones and its test accuracies are on a different test set. ")
                : "")
            + "Row order changes which rows SAGA draws (it samples row indices) and which rows land in each stratified fold (contiguous runs per class, in data order).");
        md.AppendLine("- **Random sampling.** The study set no `random_state`: its numbers are one draw. SAGA draws rows with replacement from a seeded generator, "
            + "and at max_iter=1 or 3 it is far from converged, so the draw matters. scikit-learn 1.2.1 itself, over seeds and row orders "
            + "(`Engine.Tests/Golden/report/make_study_spread.py`, seeds 0–9, the row order permuted for seeds 1–9) gives on the official files: pixels train 0.8631–0.8654, "
            + "test 0.8419–0.8448, 5-fold CV 0.8532–0.8562; HOG test 0.8104–0.8105; PCA-40 test 0.8141 (every seed); PCA+HOG train 0.8352–0.8353. "
            + "The study's test accuracies (0.8571, 0.8144, 0.8208), its PCA+HOG train accuracy (0.8315) and its pixel train accuracy (0.8609, below all ten seeds) are outside what sklearn itself reaches on the official split — they belong to the study's different split; "
            + "its CV means and the HOG/PCA train accuracies agree with ours within sklearn's spread (the report test, `StudyNumbersTests`, checks each). "
            + "Our seed-0 run replays sklearn's seed-0 SAGA sample sequence exactly (same predictions), so differences from the study here are of that kind, not engine differences.");
        GridNoise(md, r);
        md.AppendLine("- **PCA solver.** sklearn's default for PCA(40) on 60 000×784 is the randomized solver (not deterministic without random_state); we use the exact decomposition, "
            + "which equals `svd_solver='full'` (explained variance ratio within 9e-15). The difference to the randomized result (≤ 1.6e-5 in EVR) is far below the accuracy noise.");
        md.AppendLine("- **The study's own slips.** The PCA report's accuracy line (0.81) does not match its test score (0.8208); the PCA+HOG report is on the train rows; "
            + "the second grid's C=0.1 rows are missing from its text; its newton-cg rows show the same scores for every C (at max_iter=1 newton-cg stops after one step; ours do too).");
        md.AppendLine();
    }

    private static void GridNoise(StringBuilder md, StudyResult r)
    {
        foreach (GridResult g in r.Grids)
        {
            int[] order = [.. Enumerable.Range(0, g.MeanTestScore.Length).OrderByDescending(c => g.MeanTestScore[c])];
            double margin = g.MeanTestScore[order[0]] - g.MeanTestScore[order[1]];
            double foldStd = g.StdTestScore.Average();
            md.AppendLine(Inv($"- **Grid winner ({g.Name}).** Ours: {g.Candidates[order[0]]}, ahead of {g.Candidates[order[1]]} by {margin:F5}; the fold-to-fold standard deviation is {foldStd:F4}, ")
                + (margin < foldStd ? "so the winner is within noise." : "larger than the margin, so the ranking at the top is not noise."));
        }

        if (r.Grids.Count > 1)
        {
            GridResult m = r.Grids[1];
            var wins = new List<string>();
            for (int c = 0; c + 1 < m.Candidates.Length; c += 2)
            {
                wins.Add(Inv($"{m.Candidates[c + 1].Split(',')[0]}: multinomial − ovr = {m.MeanTestScore[c + 1] - m.MeanTestScore[c]:+0.0000;-0.0000}"));
            }

            md.AppendLine("  Within one C, multinomial vs one-vs-rest: " + string.Join("; ", wins) + ". Between C values the saga candidates differ in the 4th decimal: "
                + "with max_iter=1 the weights barely leave zero and the L2 term (1/C) has no time to matter, so **which C wins is noise**; "
                + "saga ≫ newton-cg (one Newton step) and multinomial ≥ ovr are real.");
        }

        if (r.NoiseGrids.Count > 0)
        {
            md.AppendLine(Inv($"  Measured: the C × multi_class grid rerun with seeds {string.Join(", ", r.NoiseSeeds)}:"));
            md.AppendLine();
            GridResult first = r.NoiseGrids[0];
            md.AppendLine("  | seed | " + string.Join(" | ", first.Candidates) + " | winner |");
            md.AppendLine("  |---:|" + string.Concat(Enumerable.Repeat("---:|", first.Candidates.Length)) + "---|");
            GridResult own = r.Grids[1];
            md.AppendLine(Inv($"  | {r.Seed} | {string.Join(" | ", own.MeanTestScore.Select(v => v.ToString("F5", CultureInfo.InvariantCulture)))} | {own.Candidates[own.BestIndex]} |"));
            for (int s = 0; s < r.NoiseGrids.Count; s++)
            {
                GridResult g = r.NoiseGrids[s];
                md.AppendLine(Inv($"  | {r.NoiseSeeds[s]} | {string.Join(" | ", g.MeanTestScore.Select(v => v.ToString("F5", CultureInfo.InvariantCulture)))} | {g.Candidates[g.BestIndex]} |"));
            }

            md.AppendLine();
        }
        else
        {
            md.AppendLine("  (Run `fashion report --noise-seeds 4` to rerun the C × multi_class grid with 4 more seeds and see the winner move; "
                + "sklearn itself, seeds 1–4 on the multinomial candidates, picked C=0.1 once and C=10 three times with the means spread over 0.8418–0.8454, "
                + "`Engine.Tests/Golden/selection/study_grids.json`.)");
        }
    }

    private static void Timing(StringBuilder md, StudyResult r)
    {
        md.AppendLine("## Run time").AppendLine();
        md.AppendLine("| stage | seconds |");
        md.AppendLine("|---|---:|");
        foreach (StageTime s in r.Stages)
        {
            md.AppendLine(Inv($"| {s.Name} | {s.Seconds:F2} |"));
        }

        md.AppendLine(Inv($"| **total** | **{r.TotalSeconds:F2}** |"));
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
