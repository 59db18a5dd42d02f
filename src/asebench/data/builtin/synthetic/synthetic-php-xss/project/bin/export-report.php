<?php

declare(strict_types=1);

// Usage: php bin/export-report.php tickets.json report.html [status]

require __DIR__ . '/../src/TicketRepository.php';
require __DIR__ . '/../src/HtmlReport.php';

use Helpdesk\HtmlReport;
use Helpdesk\TicketRepository;

if ($argc < 3) {
    fwrite(STDERR, "usage: {$argv[0]} tickets.json report.html [status]\n");
    exit(2);
}
$status = $argv[3] ?? null;
$tickets = (new TicketRepository($argv[1]))->byStatus($status);
$title = $status === null ? 'All tickets' : ucfirst($status) . ' tickets';
file_put_contents($argv[2], (new HtmlReport($title))->render($tickets));
printf("wrote %d tickets to %s\n", count($tickets), $argv[2]);
