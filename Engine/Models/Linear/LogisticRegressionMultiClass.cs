namespace FashionCore.Models.Linear;

/// <summary>How more than two classes are handled (scikit-learn <c>multi_class</c>).</summary>
public enum LogisticRegressionMultiClass
{
    /// <summary><c>'auto'</c>: <see cref="Ovr"/> for two classes, otherwise <see cref="Multinomial"/> (sklearn's rule for these solvers).</summary>
    Auto,

    /// <summary><c>'ovr'</c>: one independent binary problem per class, probabilities are normalised sigmoids.</summary>
    Ovr,

    /// <summary><c>'multinomial'</c>: one softmax problem with a weight vector per class.</summary>
    Multinomial,
}
