using AspService.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Hosting;

/// <summary>The HTTP edge of use cases: a <see cref="Failure"/> becomes the problem+json the API has always answered.</summary>
public static class OutcomeResults
{
    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = failure.Status,
            Title = failure.Title,
            Type = "https://aspservice.example/problems/" + failure.Code,
        };
        if (failure.Fields is { } fields)
        {
            problem.Extensions["errors"] = fields;
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>200 with the mapped value, or the failure's problem.</summary>
    public static Results<Ok<TDto>, ProblemHttpResult> ToOk<T, TDto>(this Outcome<T> outcome, Func<T, TDto> map) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(map(outcome.Value!));

    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome) => outcome.ToOk(v => v);
}
