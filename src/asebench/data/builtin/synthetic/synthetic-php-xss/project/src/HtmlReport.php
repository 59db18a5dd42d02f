<?php

declare(strict_types=1);

namespace Helpdesk;

/** Renders a list of support tickets as a standalone HTML page. */
final class HtmlReport
{
    private string $title;

    public function __construct(string $title)
    {
        $this->title = $title;
    }

    private function e(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }

    /** @param list<array<string, mixed>> $tickets */
    public function render(array $tickets): string
    {
        $rows = '';
        foreach ($tickets as $ticket) {
            $rows .= $this->renderRow($ticket);
        }
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" . $this->e($this->title)
            . "</title></head>\n<body><h1>" . $this->e($this->title) . "</h1>\n<table>\n"
            . "<tr><th>#</th><th>Subject</th><th>Requester</th><th>Status</th></tr>\n"
            . $rows . "</table>\n<p>" . count($tickets) . " tickets</p>\n</body></html>\n";
    }

    /** One table row: id, subject linked to the ticket page, requester, status. */
    public function renderRow(array $ticket): string
    {
        $id = (int) $ticket['id'];
        $url = '/tickets/' . $id;
        return '<tr class="status-' . $ticket['status'] . '">'
            . '<td>' . $id . '</td>'
            . '<td><a href="' . $url . '">' . $ticket['subject'] . '</a></td>'
            . '<td>' . $ticket['requester'] . '</td>'
            . '<td>' . ucfirst($ticket['status']) . '</td>'
            . "</tr>\n";
    }
}
