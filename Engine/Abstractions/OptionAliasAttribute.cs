namespace FashionCore.Abstractions;

/// <summary>
/// Another name by which grid search, the CLI and <c>EstimatorOptions</c> address an option property — typically the
/// scikit-learn parameter name when it does not follow from the property name (<c>max_iter</c> for <c>MaxIterations</c>).
/// </summary>
/// <remarks>
/// Not needed when the sklearn name is the property name in snake_case (<c>multi_class</c> → <c>MultiClass</c>,
/// <c>l1_ratio</c> → <c>L1Ratio</c>): names are matched case-insensitively with underscores and hyphens ignored.
/// </remarks>
/// <param name="name">The alias, e.g. <c>"max_iter"</c>.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class OptionAliasAttribute(string name) : Attribute
{
    /// <summary>The alias.</summary>
    public string Name { get; } = name;
}
