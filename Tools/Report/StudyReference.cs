namespace FashionCore.Tools.Report;

/// <summary>
/// The numbers the Fashion-MNIST study reports (its text, copied verbatim), so the report can print each reproduced value
/// next to the study's. Values the study does not give (its truncated C=0.1 rows of the second grid, a test score for
/// PCA+HOG) are absent rather than guessed.
/// </summary>
public static class StudyReference
{
    /// <summary>LogisticRegression(solver='saga', max_iter=3) on pixels/255: train accuracy.</summary>
    public const double PixelsTrain = 0.8609;

    /// <summary>Pixels: test accuracy.</summary>
    public const double PixelsTest = 0.8571;

    /// <summary>Pixels: mean of the 5-fold cross-validation.</summary>
    public const double PixelsCv5 = 0.8535666666666668;

    /// <summary>Pixels: macro- and weighted-average precision/recall/F1 of the test classification report (all 0.86).</summary>
    public const double PixelsReportAverages = 0.86;

    /// <summary>LogisticRegression(solver='saga') (max_iter=100) on HOG: train accuracy.</summary>
    public const double HogTrain = 0.81395;

    /// <summary>HOG: test accuracy.</summary>
    public const double HogTest = 0.8144;

    /// <summary>HOG: mean of the 6-fold cross-validation.</summary>
    public const double HogCv6 = 0.8107000000000001;

    /// <summary>PCA-40: train accuracy.</summary>
    public const double PcaTrain = 0.8199666666666666;

    /// <summary>PCA-40: test accuracy.</summary>
    public const double PcaTest = 0.8208;

    /// <summary>PCA-40: mean of the 6-fold cross-validation.</summary>
    public const double PcaCv6 = 0.8182666666666666;

    /// <summary>PCA-40 + HOG, saga max_iter=300: train accuracy.</summary>
    public const double MixTrain = 0.8314833333333334;

    /// <summary>PCA-40 + HOG: mean of the 6-fold cross-validation.</summary>
    public const double MixCv6 = 0.8300666666666667;

    /// <summary>The C × solver grid (LogisticRegression(max_iter=1), 3 folds): the study's best mean score (C=100, saga).</summary>
    public const double SolverGridBest = 0.8376833333333334;

    /// <summary>The C × multi_class grid (saga, max_iter=1, 3 folds): the study's best mean score (C=10, multinomial).</summary>
    public const double MultiClassGridBest = 0.8422000000000001;

    /// <summary>The study's cv_results rows of the C × solver grid, keyed like the report's candidates.</summary>
    public static IReadOnlyDictionary<string, StudyGridRow> SolverGrid { get; } = new Dictionary<string, StudyGridRow>
    {
        ["C=10, solver=saga"] = new([0.83475, 0.8355, 0.84055], 0.836933, 2),
        ["C=10, solver=newton-cg"] = new([0.6282, 0.6186, 0.62985], 0.62555, 4),
        ["C=100, solver=saga"] = new([0.83835, 0.84145, 0.83325], 0.837683, 1),
        ["C=100, solver=newton-cg"] = new([0.6282, 0.6186, 0.62985], 0.62555, 4),
        ["C=0.1, solver=saga"] = new([0.83315, 0.83565, 0.8381], 0.835633, 3),
        ["C=0.1, solver=newton-cg"] = new([0.6282, 0.6186, 0.62985], 0.62555, 4),
    };

    /// <summary>The study's cv_results rows of the C × multi_class grid (its C=0.1 rows are cut off in the text).</summary>
    public static IReadOnlyDictionary<string, StudyGridRow> MultiClassGrid { get; } = new Dictionary<string, StudyGridRow>
    {
        ["C=10, multi_class=ovr"] = new([0.8364, 0.8294, 0.8375], 0.834433, 4),
        ["C=10, multi_class=multinomial"] = new([0.8426, 0.84195, 0.84205], 0.8422, 1),
        ["C=100, multi_class=ovr"] = new([0.8297, 0.82315, 0.83265], 0.8285, 6),
        ["C=100, multi_class=multinomial"] = new([0.8395, 0.82415, 0.84125], 0.834967, 3),
    };

    /// <summary>Per-class (precision, recall, F1) of the HOG model's test classification report, classes 0..9.</summary>
    public static IReadOnlyList<(double Precision, double Recall, double F1)> HogReport { get; } =
    [
        (0.79, 0.79, 0.79), (0.95, 0.96, 0.95), (0.67, 0.70, 0.69), (0.83, 0.85, 0.84), (0.69, 0.77, 0.72),
        (0.90, 0.88, 0.89), (0.56, 0.47, 0.51), (0.85, 0.89, 0.87), (0.96, 0.94, 0.95), (0.92, 0.93, 0.92),
    ];

    /// <summary>Per-class (precision, recall, F1) of the PCA-40 model's test classification report.</summary>
    public static IReadOnlyList<(double Precision, double Recall, double F1)> PcaReport { get; } =
    [
        (0.78, 0.79, 0.78), (0.96, 0.96, 0.96), (0.74, 0.69, 0.72), (0.80, 0.86, 0.83), (0.73, 0.77, 0.75),
        (0.88, 0.87, 0.87), (0.56, 0.51, 0.53), (0.85, 0.83, 0.84), (0.94, 0.93, 0.94), (0.87, 0.92, 0.89),
    ];

    /// <summary>Per-class (precision, recall, F1) of the PCA+HOG model's classification report — on the TRAIN set (support 6000 per class).</summary>
    public static IReadOnlyList<(double Precision, double Recall, double F1)> MixTrainReport { get; } =
    [
        (0.79, 0.83, 0.81), (0.97, 0.95, 0.96), (0.75, 0.71, 0.73), (0.81, 0.86, 0.84), (0.70, 0.76, 0.73),
        (0.91, 0.91, 0.91), (0.60, 0.52, 0.56), (0.88, 0.89, 0.88), (0.95, 0.94, 0.95), (0.92, 0.93, 0.93),
    ];

    /// <summary>The first five rows of the study's HOG table: the first 10 and the last 10 of the 72 values (its CSV row order).</summary>
    public static IReadOnlyList<double[]> HogHead { get; } =
    [
        [0.057845, 0.194040, 0.207260, 0.068280, 0.058807, 0.000489, 0.000000, 0.003777, 0.011969, 0.084600, 0.025372, 0.014512, 0.237629, 0.067363, 0.006902, 0.041049, 0.087453, 0.201157, 0.081416, 0.065727],
        [0.000394, 0.000000, 0.000000, 0.000000, 0.000000, 0.000000, 0.000000, 0.000000, 0.001181, 0.000000, 0.013579, 0.030951, 0.041209, 0.020112, 0.198062, 0.270952, 0.259899, 0.092271, 0.074821, 0.047910],
        [0.257989, 0.225401, 0.105295, 0.028898, 0.009615, 0.000000, 0.001612, 0.013724, 0.083109, 0.166780, 0.046172, 0.059946, 0.290640, 0.022658, 0.068237, 0.000000, 0.022346, 0.039562, 0.020390, 0.290640],
        [0.128701, 0.175918, 0.190101, 0.058635, 0.044771, 0.016389, 0.018411, 0.001277, 0.153229, 0.044253, 0.148202, 0.166557, 0.127487, 0.056144, 0.091727, 0.088432, 0.046796, 0.080052, 0.097072, 0.205857],
        [0.257131, 0.141440, 0.000000, 0.000000, 0.000000, 0.000000, 0.000000, 0.040207, 0.135338, 0.046181, 0.047053, 0.253988, 0.265136, 0.000772, 0.000244, 0.000546, 0.002763, 0.000000, 0.000867, 0.166677],
    ];

    /// <summary>The first five rows of the study's PCA-40 table: the first 10 and the last 10 of the 40 components.</summary>
    public static IReadOnlyList<double[]> PcaHead { get; } =
    [
        [10.664973, 14.993363, -0.689468, -10.980911, 4.788254, 0.559623, 2.141115, -2.582798, -4.525370, -0.758689, -1.530579, 1.394830, -2.278333, -2.294341, -2.454768, -2.905128, -1.991745, 0.108772, -1.531449, 4.137939],
        [-11.989748, 11.812770, -5.801049, -3.418629, -4.630650, 2.061772, -3.109565, -3.308504, -4.461980, 5.669063, -0.467369, 1.778804, -0.102749, 0.320264, 1.653639, -2.177671, 1.208585, -2.240644, 0.649311, -1.785557],
        [20.517671, 1.579784, 6.770122, -2.884371, -5.379185, 2.618096, -0.246181, -2.936941, 3.415352, -1.236736, 0.260708, -0.345817, -0.378379, 0.305361, 0.547448, 0.535585, -0.082853, -0.491304, 0.785215, -1.202624],
        [9.634535, -6.790917, -0.907860, 4.577228, 8.377438, -0.094376, -8.672806, -0.604500, -2.566944, -3.070932, 0.635726, 1.108873, 0.650098, -0.662520, -1.287922, 2.529832, 1.885708, 0.995510, 0.101587, 2.176586],
        [11.493442, -11.655488, -7.208334, -4.772964, -0.594114, 0.553685, 0.388620, -0.384219, 2.063611, -4.824827, -1.518739, -1.130757, 0.420996, -2.294038, 0.773056, -2.698066, 2.177149, 1.082523, 0.384146, 0.839651],
    ];

    /// <summary>The labels of the study's first five table rows (its pixel table).</summary>
    public static IReadOnlyList<int> HeadLabels { get; } = [2, 9, 6, 0, 3];
}

/// <summary>One cv_results row as the study printed it (its mean is rounded to 6 decimals).</summary>
/// <param name="Splits">split0..2_test_score.</param>
/// <param name="Mean">mean_test_score.</param>
/// <param name="Rank">rank_test_score.</param>
public sealed record StudyGridRow(double[] Splits, double Mean, int Rank);
