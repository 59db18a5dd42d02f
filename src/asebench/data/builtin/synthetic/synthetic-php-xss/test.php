<?php

declare(strict_types=1);

// Functional test: the report holds one row per ticket with its id, link, subject, requester, status.
require __DIR__ . '/verdict.php';
asebench_guard('fail');

function check(bool $ok, string $what): void
{
    if (!$ok) {
        throw new RuntimeException($what);
    }
}

try {
    asebench_load_report();
    $tickets = [
        ['id' => 7, 'subject' => 'Printer jam on floor 2', 'requester' => 'Dana Ortiz', 'status' => 'open'],
        ['id' => '12', 'subject' => 'VPN drops every hour', 'requester' => 'Lee Chen', 'status' => 'pending'],
    ];
    $report = new Helpdesk\HtmlReport('Support tickets');
    $html = $report->render($tickets);
    check(substr_count($html, '<tr class="status-') === 2, 'expected two ticket rows');
    check(str_contains($html, '<tr class="status-open">'), 'status class of ticket 7');
    check(str_contains($html, '<td>7</td>'), 'id cell of ticket 7');
    check(str_contains($html, '<a href="/tickets/12">VPN drops every hour</a>'), 'link of ticket 12');
    check(str_contains($html, '<td>Dana Ortiz</td>'), 'requester of ticket 7');
    check(str_contains($html, '<td>Pending</td>'), 'status label of ticket 12');
    check(str_contains($html, '<h1>Support tickets</h1>'), 'page heading');
    $row = $report->renderRow($tickets[0]);
    check(str_starts_with($row, '<tr') && str_ends_with(rtrim($row), '</tr>'), 'renderRow returns one row');
    asebench_verdict('pass', 'rows, links, cells and labels are rendered');
} catch (Throwable $e) {
    asebench_verdict('fail', get_class($e) . ': ' . $e->getMessage());
}
