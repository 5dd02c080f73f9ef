using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Selection;

/// <summary>
/// Reads and sets estimator options by name — <c>"C"</c>, <c>"logreg.C"</c>, <c>"union.pca.components"</c> or the
/// scikit-learn spelling <c>"logreg__max_iter"</c> — for grid search, the CLI and persistence.
/// </summary>
/// <remarks>
/// <para>Estimators need no extra code when they follow the house pattern: a public <c>Options</c> property whose type is a
/// <c>record</c> with <c>init</c> properties, and a public constructor whose first parameter takes that options record
/// (and validates it); further constructor parameters are read back from public properties of the same name
/// (<c>Hog(options, imageHeight, imageWidth)</c> ↔ <c>ImageHeight</c>, <c>ImageWidth</c>) or take their defaults.
/// An estimator with other state can instead define <c>public TSelf WithOptions(TOptions options)</c>, which is then
/// preferred. Setting an option clones the record (<c>options with { X = value }</c>, done by reflection), sets the
/// property and builds the new estimator that way, so invalid values fail in the estimator's own validation.</para>
/// <para>Composites (<see cref="ICompositeEstimator"/>: pipeline, feature union) are walked by step name; setting a bare
/// step name replaces the whole step with the value (an estimator).</para>
/// <para>Option names match the property name case-insensitively with <c>_</c> and <c>-</c> ignored (so
/// <c>multi_class</c>, <c>multi-class</c>, <c>MultiClass</c> all address <c>MultiClass</c>), or any
/// <see cref="OptionAliasAttribute"/> on the property, or a built-in map of scikit-learn names whose property name is not
/// their snake_case spelling (<c>max_iter</c> → <c>MaxIterations</c>, <c>tol</c> → <c>Tolerance</c>,
/// <c>n_components</c> → <c>Components</c>/<c>ComponentCount</c>, <c>n_clusters</c> → <c>Clusters</c>/<c>ClusterCount</c>,
/// <c>n_init</c> → <c>InitCount</c>, <c>n_jobs</c> → <c>MaxDegreeOfParallelism</c>). Values are converted
/// only losslessly: the exact type, integers to wider integers or floating types, double to float, strings to enums
/// (case-insensitive, <c>_</c>/<c>-</c> ignored: <c>"newton-cg"</c> → <c>NewtonCg</c>), and null to nullable types.
/// Anything else is an <see cref="ArgumentException"/> naming the option.</para>
/// </remarks>
public static class EstimatorOptions
{
    private static readonly ConcurrentDictionary<Type, LeafShape?> s_shapes = new();

    // scikit-learn parameter names whose .NET property name is not their snake_case spelling, matched after the
    // property names and OptionAlias attributes (normalized: lower case, no '_' or '-').
    private static readonly Dictionary<string, string[]> s_sklearnNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["maxiter"] = ["maxiterations"],
        ["tol"] = ["tolerance"],
        ["ncomponents"] = ["components", "componentcount"],
        ["nclusters"] = ["clusters", "clustercount"],
        ["ninit"] = ["initcount", "inits"],
        ["njobs"] = ["maxdegreeofparallelism"],
        ["c"] = ["c"],
    };

    // The keys above as sklearn writes them.
    private static readonly Dictionary<string, string> s_sklearnSpelling = new(StringComparer.OrdinalIgnoreCase)
    {
        ["maxiter"] = "max_iter",
        ["tol"] = "tol",
        ["ncomponents"] = "n_components",
        ["nclusters"] = "n_clusters",
        ["ninit"] = "n_init",
        ["njobs"] = "n_jobs",
        ["c"] = "C",
    };

    /// <summary>Returns a new estimator equal to <paramref name="estimator"/> with one option set; the original is unchanged.</summary>
    /// <typeparam name="T">The estimator type (the result has the same type).</typeparam>
    /// <param name="estimator">The estimator.</param>
    /// <param name="path">The option path (<c>step.option</c>, <c>step__option</c> or a bare option of a leaf estimator).</param>
    /// <param name="value">The value.</param>
    /// <returns>The new estimator.</returns>
    /// <exception cref="ArgumentException">Unknown step or option, or a value of the wrong type (or rejected by the estimator's validation).</exception>
    public static T With<T>(T estimator, string path, object? value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(path);
        return (T)SetAll(estimator, [new(Segments(path), path, value)], 0);
    }

    /// <summary>
    /// Sets several options at once (see <see cref="With{T}(T, string, object)"/>): each leaf estimator gets all of its
    /// new options before it is rebuilt and validated, so a combination is judged whole, whatever the order of the paths
    /// (<c>solver=saga</c> with <c>penalty=l1</c> on an lbfgs estimator); a composite (pipeline, union) takes its changed
    /// steps one after the other. A step replaced by an estimator takes the options addressed inside it afterwards, as
    /// sklearn's <c>set_params</c> does. A path given twice keeps its last value (each value must still convert to the
    /// option's type).
    /// </summary>
    /// <typeparam name="T">The estimator type.</typeparam>
    /// <param name="estimator">The estimator.</param>
    /// <param name="values">Option paths and values.</param>
    /// <returns>The new estimator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="estimator"/>, <paramref name="values"/> or a path is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="With{T}(T, string, object)"/>.</exception>
    public static T With<T>(T estimator, IEnumerable<KeyValuePair<string, object?>> values)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(values);
        List<Setting> settings = [];
        foreach (KeyValuePair<string, object?> pair in values)
        {
            ArgumentNullException.ThrowIfNull(pair.Key, nameof(values));
            settings.Add(new(Segments(pair.Key), pair.Key, pair.Value));
        }

        return settings.Count == 0 ? estimator : (T)SetAll(estimator, settings, 0);
    }

    /// <summary>Reads an option's current value.</summary>
    /// <param name="estimator">The estimator.</param>
    /// <param name="path">The option path.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">Unknown step or option.</exception>
    public static object? Get(object estimator, string path)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(path);
        string[] segments = Segments(path);
        object current = estimator;
        for (int i = 0; i < segments.Length - 1; i++)
        {
            current = Step(current, segments[i], path);
        }

        if (current is ICompositeEstimator composite)
        {
            return composite.GetStep(segments[^1]);
        }

        LeafShape shape = Shape(current, path);
        return shape.Find(segments[^1], path).GetValue(shape.OptionsProperty.GetValue(current));
    }

    /// <summary>Lists the addressable option paths of an estimator (steps walked recursively), e.g. for help text.</summary>
    /// <param name="estimator">The estimator.</param>
    /// <returns>Paths such as <c>pca.Components</c> in step and property order.</returns>
    public static IReadOnlyList<string> Names(object estimator)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        List<string> names = [];
        AddNames(estimator, "", names);
        return names;
    }

    /// <summary>
    /// scikit-learn's spelling of an option property (<c>MaxIterations</c> → <c>max_iter</c>, <c>Clusters</c> →
    /// <c>n_clusters</c>, otherwise snake_case: <c>PixelsPerCell</c> → <c>pixels_per_cell</c>); <c>With</c>
    /// resolves each back to the property.
    /// </summary>
    /// <param name="propertyName">The .NET property name (the last segment of a path from <see cref="Names"/>).</param>
    /// <returns>The sklearn parameter name.</returns>
    public static string SklearnName(string propertyName)
    {
        ArgumentNullException.ThrowIfNull(propertyName);
        foreach ((string sklearn, string[] properties) in s_sklearnNames)
        {
            if (Array.Exists(properties, n => string.Equals(n, propertyName, StringComparison.OrdinalIgnoreCase)))
            {
                return s_sklearnSpelling[sklearn];
            }
        }

        return string.Concat(propertyName.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
    }

    /// <summary>Checks that <paramref name="path"/> addresses an option and <paramref name="value"/> converts to its type, without building anything.</summary>
    /// <param name="estimator">The estimator.</param>
    /// <param name="path">The option path.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">Unknown step or option, or a value of the wrong type.</exception>
    public static void Validate(object estimator, string path, object? value)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(path);
        string[] segments = Segments(path);
        object current = estimator;
        for (int i = 0; i < segments.Length - 1; i++)
        {
            current = Step(current, segments[i], path);
        }

        if (current is ICompositeEstimator composite)
        {
            _ = composite.GetStep(segments[^1]);
            if (value is null)
            {
                ThrowHelper.ThrowArgument($"'{path}' is a step: its value must be an estimator, not null.", nameof(value));
            }

            return;
        }

        LeafShape shape = Shape(current, path);
        PropertyInfo property = shape.Find(segments[^1], path);
        _ = Convert(value, property.PropertyType, path);
    }

    private static string[] Segments(string path)
    {
        string[] segments = path.Replace("__", ".", StringComparison.Ordinal).Split('.');
        if (Array.Exists(segments, string.IsNullOrWhiteSpace))
        {
            ThrowHelper.ThrowArgument($"Option path '{path}' has an empty segment.", nameof(path));
        }

        return segments;
    }

    // One option to set: its path split into segments, the path as given (for messages) and the value.
    private readonly record struct Setting(string[] Segments, string Path, object? Value);

    // The settings' segments from `index` on address `estimator`: a composite hands each step its settings (a step's
    // replacement first), a leaf takes all of its options on one clone and is rebuilt once.
    private static object SetAll(object estimator, List<Setting> settings, int index)
    {
        if (estimator is ICompositeEstimator composite)
        {
            object result = estimator;
            foreach (IGrouping<string, Setting> step in settings.GroupBy(t => StepName(composite, t.Segments[index], t.Path), StringComparer.Ordinal))
            {
                object? replacement = null;
                List<Setting> inside = [];
                foreach (Setting t in step)
                {
                    if (t.Segments.Length - 1 > index)
                    {
                        inside.Add(t);
                    }
                    else if (t.Value is null)
                    {
                        ThrowHelper.ThrowArgument($"'{t.Path}' is a step: its value must be an estimator, not null.", "value");
                    }
                    else
                    {
                        replacement = t.Value;
                    }
                }

                // The replacement goes in first, so the step checks its type before any option is looked up inside it.
                if (replacement is not null)
                {
                    result = ((ICompositeEstimator)result).WithStep(step.Key, replacement);
                }

                if (inside.Count > 0)
                {
                    result = ((ICompositeEstimator)result).WithStep(step.Key, SetAll(replacement ?? composite.GetStep(step.Key), inside, index + 1));
                }
            }

            return result;
        }

        foreach (Setting t in settings)
        {
            if (index != t.Segments.Length - 1)
            {
                ThrowHelper.ThrowArgument($"Unknown step '{t.Segments[index]}' in '{t.Path}': {estimator.GetType().Name} has no steps.", "path");
            }
        }

        LeafShape shape = Shape(estimator, settings[0].Path);
        object clone = shape.Clone.Invoke(shape.OptionsProperty.GetValue(estimator)!, null)!;
        foreach (Setting t in settings)
        {
            PropertyInfo property = shape.Find(t.Segments[index], t.Path);
            property.SetValue(clone, Convert(t.Value, property.PropertyType, t.Path));
        }

        return shape.Rebuild(estimator, clone);
    }

    // The step's own spelling of `name` (matched case-insensitively).
    private static string StepName(ICompositeEstimator composite, string name, string path)
    {
        foreach (string step in composite.StepNames)
        {
            if (string.Equals(step, name, StringComparison.OrdinalIgnoreCase))
            {
                return step;
            }
        }

        ThrowHelper.ThrowArgument($"Unknown step '{name}' in '{path}'; the steps are: {string.Join(", ", composite.StepNames)}.", nameof(path));
        return null!;
    }

    private static object Step(object estimator, string name, string path)
    {
        if (estimator is not ICompositeEstimator composite)
        {
            ThrowHelper.ThrowArgument($"Unknown step '{name}' in '{path}': {estimator.GetType().Name} has no steps.", nameof(path));
            return null!;
        }

        return composite.GetStep(StepName(composite, name, path));
    }

    private static void AddNames(object estimator, string prefix, List<string> names)
    {
        if (estimator is ICompositeEstimator composite)
        {
            foreach (string step in composite.StepNames)
            {
                AddNames(composite.GetStep(step), prefix + step + ".", names);
            }

            return;
        }

        if (s_shapes.GetOrAdd(estimator.GetType(), LeafShape.TryCreate) is LeafShape shape)
        {
            foreach (PropertyInfo p in shape.Properties)
            {
                names.Add(prefix + p.Name);
            }
        }
    }

    private static LeafShape Shape(object estimator, string path)
    {
        LeafShape? shape = s_shapes.GetOrAdd(estimator.GetType(), LeafShape.TryCreate);
        if (shape is null)
        {
            ThrowHelper.ThrowArgument(
                $"Cannot set '{path}': {estimator.GetType().Name} has no public record 'Options' property with a WithOptions method or a constructor taking it.", nameof(path));
        }

        return shape;
    }

    private static object? Convert(object? value, Type target, string path)
    {
        Type? underlying = Nullable.GetUnderlyingType(target);
        if (value is null)
        {
            if (!target.IsValueType || underlying is not null)
            {
                return null;
            }

            ThrowHelper.ThrowArgument($"Option '{path}' ({target.Name}) cannot be null.", nameof(value));
        }

        Type t = underlying ?? target;
        if (t.IsInstanceOfType(value))
        {
            return value;
        }

        if (t.IsEnum && value is string text)
        {
            string wanted = Normalize(text);
            foreach (string name in Enum.GetNames(t))
            {
                if (string.Equals(Normalize(name), wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return Enum.Parse(t, name);
                }
            }

            ThrowHelper.ThrowArgument($"Option '{path}' ({t.Name}) has no value '{text}'; valid: {string.Join(", ", Enum.GetNames(t))}.", nameof(value));
        }

        object? widened = (value, Type.GetTypeCode(t)) switch
        {
            (int i, TypeCode.Int64) => (long)i,
            (int i, TypeCode.Double) => (double)i,
            (int i, TypeCode.Single) => (float)i,
            (long l, TypeCode.Double) => (double)l,
            (long l, TypeCode.Single) => (float)l,
            (double d, TypeCode.Single) => (float)d,
            (float f, TypeCode.Double) => (double)f,
            _ => null,
        };
        if (widened is null)
        {
            ThrowHelper.ThrowArgument(
                $"Option '{path}' expects {t.Name} but got {value.GetType().Name} '{System.Convert.ToString(value, CultureInfo.InvariantCulture)}'.", nameof(value));
        }

        return widened;
    }

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    private sealed class LeafShape
    {
        private readonly MethodInfo? _withOptions;
        private readonly ConstructorInfo? _constructor;
        private readonly PropertyInfo?[] _extras;

        private LeafShape(PropertyInfo optionsProperty, MethodInfo clone, MethodInfo? withOptions, ConstructorInfo? constructor, PropertyInfo?[] extras, PropertyInfo[] properties)
        {
            OptionsProperty = optionsProperty;
            Clone = clone;
            _withOptions = withOptions;
            _constructor = constructor;
            _extras = extras;
            Properties = properties;
        }

        public PropertyInfo OptionsProperty { get; }

        public MethodInfo Clone { get; }

        public PropertyInfo[] Properties { get; }

        /// <summary>A new estimator like <paramref name="estimator"/> but with <paramref name="options"/>.</summary>
        public object Rebuild(object estimator, object options)
        {
            if (_withOptions is not null)
            {
                return _withOptions.Invoke(estimator, BindingFlags.DoNotWrapExceptions, binder: null, [options], CultureInfo.InvariantCulture)!;
            }

            object?[] arguments = new object?[_extras.Length + 1];
            arguments[0] = options;
            ParameterInfo[] parameters = _constructor!.GetParameters();
            for (int i = 0; i < _extras.Length; i++)
            {
                arguments[i + 1] = _extras[i] is PropertyInfo p ? p.GetValue(estimator) : parameters[i + 1].DefaultValue;
            }

            return _constructor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, arguments, CultureInfo.InvariantCulture);
        }

        public static LeafShape? TryCreate(Type estimatorType)
        {
            PropertyInfo? options = estimatorType.GetProperty("Options", BindingFlags.Public | BindingFlags.Instance);
            // The compiler-generated record copy method; its presence is what makes the type a record.
            MethodInfo? clone = options?.PropertyType.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance);
            if (options is null || clone is null)
            {
                return null;
            }

            // Preferred: a WithOptions(options) method (keeps any state that is not an option); otherwise a constructor
            // whose first parameter takes the options and whose other parameters are read back from same-named
            // properties (Hog(options, imageHeight, imageWidth) with ImageHeight/ImageWidth) or are optional.
            MethodInfo? withOptions = estimatorType.GetMethod("WithOptions", BindingFlags.Public | BindingFlags.Instance, [options.PropertyType]);
            if (withOptions is not null && !estimatorType.IsAssignableFrom(withOptions.ReturnType))
            {
                withOptions = null;
            }

            ConstructorInfo? constructor = null;
            PropertyInfo?[] extras = [];
            foreach (ConstructorInfo c in estimatorType.GetConstructors().OrderByDescending(c => c.GetParameters().Length))
            {
                ParameterInfo[] parameters = c.GetParameters();
                if (parameters.Length == 0 || !parameters[0].ParameterType.IsAssignableFrom(options.PropertyType))
                {
                    continue;
                }

                PropertyInfo?[] matched = new PropertyInfo?[parameters.Length - 1];
                bool ok = true;
                for (int i = 1; i < parameters.Length && ok; i++)
                {
                    PropertyInfo? property = estimatorType.GetProperty(parameters[i].Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                    matched[i - 1] = property is not null && parameters[i].ParameterType.IsAssignableFrom(property.PropertyType) ? property : null;
                    ok = matched[i - 1] is not null || parameters[i].HasDefaultValue;
                }

                if (ok)
                {
                    constructor = c;
                    extras = matched;
                    break;
                }
            }

            if (withOptions is null && constructor is null)
            {
                return null;
            }

            PropertyInfo[] properties = Array.FindAll(
                options.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance),
                p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");
            return new LeafShape(options, clone, withOptions, constructor, extras, properties);
        }

        public PropertyInfo Find(string name, string path)
        {
            string wanted = Normalize(name);
            PropertyInfo? found = null;
            foreach (PropertyInfo p in Properties)
            {
                bool match = string.Equals(Normalize(p.Name), wanted, StringComparison.OrdinalIgnoreCase);
                foreach (OptionAliasAttribute alias in p.GetCustomAttributes<OptionAliasAttribute>())
                {
                    match |= string.Equals(Normalize(alias.Name), wanted, StringComparison.OrdinalIgnoreCase);
                }

                if (match)
                {
                    if (found is not null && found != p)
                    {
                        ThrowHelper.ThrowArgument($"Option '{path}' is ambiguous: it matches {found.Name} and {p.Name}.", nameof(path));
                    }

                    found = p;
                }
            }

            if (found is null && s_sklearnNames.TryGetValue(wanted, out string[]? propertyNames))
            {
                found = Array.Find(Properties, p => Array.Exists(propertyNames, n => string.Equals(Normalize(p.Name), n, StringComparison.OrdinalIgnoreCase)));
            }

            if (found is null)
            {
                ThrowHelper.ThrowArgument(
                    $"Unknown option '{name}' in '{path}'; {OptionsProperty.PropertyType.Name} has: {string.Join(", ", Properties.Select(Describe))}.", nameof(path));
            }

            return found;
        }

        private static string Describe(PropertyInfo p)
        {
            string[] aliases = [.. p.GetCustomAttributes<OptionAliasAttribute>().Select(a => a.Name)];
            return aliases.Length == 0 ? p.Name : $"{p.Name} ({string.Join(", ", aliases)})";
        }
    }
}
