<?php

declare(strict_types=1);

namespace Helpdesk;

/** Tickets exported by the helpdesk as a JSON array of objects. */
final class TicketRepository
{
    /** @var list<array<string, mixed>> */
    private array $tickets;

    public function __construct(string $jsonFile)
    {
        $data = json_decode((string) file_get_contents($jsonFile), true, 16, JSON_THROW_ON_ERROR);
        $this->tickets = array_values(array_filter($data, 'is_array'));
    }

    /** @return list<array<string, mixed>> tickets with the given status, or all of them */
    public function byStatus(?string $status = null): array
    {
        if ($status === null) {
            return $this->tickets;
        }
        return array_values(array_filter($this->tickets, fn (array $t) => ($t['status'] ?? '') === $status));
    }
}
