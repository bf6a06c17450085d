using AspService.Common;
using AspService.Policy;

namespace AspService.Server.Relay;

/// <summary>
/// A session request's answer: the offer, a refusal (<see cref="Failure"/>), or the policy's denial with its reasons
/// (<see cref="Denial"/>, answered with every reason in the caller's language).
/// </summary>
public sealed record SessionRequestOutcome(Broker.SessionOffer? Offer, Failure? Failure, PolicyDecision? Denial)
{
    public static SessionRequestOutcome Refused(Failure failure) => new(null, failure, null);
}
