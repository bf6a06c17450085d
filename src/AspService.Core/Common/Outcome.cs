namespace AspService.Common;

/// <summary>
/// What a use case answers: its value, or a <see cref="Failure"/>. Use cases know nothing of HTTP; endpoints turn
/// a failure into problem+json (<c>Hosting/OutcomeResults</c>), pages into form errors, jobs into log lines.
/// </summary>
public readonly record struct Outcome<T>
{
    internal Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => Outcome.Done(value);

    public static implicit operator Outcome<T>(Failure failure) => Outcome.Failed<T>(failure);

    /// <summary>The same failure for a different value type, or this outcome's value mapped.</summary>
    public Outcome<TOther> Select<TOther>(Func<T, TOther> map) =>
        Failure is { } failure ? Outcome.Failed<TOther>(failure) : Outcome.Done(map(Value!));
}

public static class Outcome
{
    public static Outcome<T> Done<T>(T value) => new(value, null);

    public static Outcome<T> Failed<T>(Failure failure) => new(default, failure ?? throw new ArgumentNullException(nameof(failure)));
}
