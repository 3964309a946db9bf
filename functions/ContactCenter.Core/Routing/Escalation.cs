namespace ContactCenter.Core.Routing;

/// <summary>What escalating a contact did: the steps applied and what the channel should now do.</summary>
public sealed record EscalationResult(ContactState Contact, IReadOnlyList<OverflowRule> Applied, bool MovedQueue, bool OfferCallback, bool MaxWaitReached)
{
    public bool Changed => Applied.Count > 0 || MaxWaitReached;
}

/// <summary>
/// The pure part of overflow: which of a queue's steps are due for a contact, what the contact looks like after them,
/// and when the next one falls due (what a scheduler should wake up for).
/// </summary>
public static class Escalation
{
    /// <param name="findQueue">Looks up a move's target, whose skill requirements the moved contact adopts.</param>
    public static EscalationResult Apply(ContactState contact, QueueDefinition queue, DateTimeOffset now, Func<string, QueueDefinition?> findQueue)
    {
        var waited = contact.InQueueAt(now);
        var applied = new List<OverflowRule>();
        var current = contact;
        for (var step = contact.OverflowStepsApplied; step < queue.Overflow.Count && queue.Overflow[step].After <= waited; step++)
        {
            var rule = queue.Overflow[step];
            applied.Add(rule);
            current = current with
            {
                RequiredSkills = Relax(current.RequiredSkills, rule.RelaxSkills),
                CallbackOffered = current.CallbackOffered || rule.OfferCallback,
                OverflowStepsApplied = step + 1,
            };
            if (rule.MoveToQueueId is { } target)
            {
                // A move starts the new queue's own steps and requirements; the contact keeps its arrival time, and so
                // its place by age.
                current = current with
                {
                    QueueId = target,
                    QueuedSince = now,
                    OverflowStepsApplied = 0,
                    MaxWaitReachedAt = null,
                    RequiredSkills = findQueue(target)?.RequiredSkills ?? [],
                };
                return new EscalationResult(current, applied, true, applied.Any(r => r.OfferCallback), false);
            }
        }
        var maxWaitReached = current.MaxWaitReachedAt is null && queue.MaxWait is { } limit && waited >= limit;
        if (maxWaitReached)
        {
            current = current with { MaxWaitReachedAt = now };
        }
        return new EscalationResult(current, applied, false, applied.Any(r => r.OfferCallback), maxWaitReached);
    }

    /// <summary>When the next overflow step or the max wait falls due for this contact, or null when nothing is left.</summary>
    public static DateTimeOffset? NextDeadline(ContactState contact, QueueDefinition queue)
    {
        var since = contact.QueuedSince ?? contact.EnqueuedAt;
        DateTimeOffset? next = contact.OverflowStepsApplied < queue.Overflow.Count ? since + queue.Overflow[contact.OverflowStepsApplied].After : null;
        if (contact.MaxWaitReachedAt is null && queue.MaxWait is { } limit && (next is null || since + limit < next))
        {
            next = since + limit;
        }
        return next;
    }

    private static IReadOnlyList<SkillRequirement> Relax(IReadOnlyList<SkillRequirement> skills, IReadOnlyDictionary<string, int> relax) =>
        relax.Count == 0 ? skills : skills
            .Select(s => relax.TryGetValue(s.Skill, out var minimum) ? (minimum == 0 ? null : new SkillRequirement(s.Skill, Math.Min(minimum, s.MinimumProficiency))) : s)
            .OfType<SkillRequirement>()
            .ToList();
}
