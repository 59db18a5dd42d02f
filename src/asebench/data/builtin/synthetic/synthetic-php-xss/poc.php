<?php

declare(strict_types=1);

// PoC: does markup in ticket fields reach the HTML report unescaped?
require __DIR__ . '/verdict.php';
asebench_guard('safe');

try {
    asebench_load_report();
    $ticket = [
        'id' => 7,
        'subject' => '<script>alert(1)</script>',
        'requester' => '<img src=x onerror=alert(2)>',
        'status' => 'open" onmouseover="alert(3)',
    ];
    $html = (new Helpdesk\HtmlReport('Open tickets'))->render([$ticket]);
    $found = [];
    foreach (['<script>', '<img', '" onmouseover="'] as $needle) {
        if (stripos($html, $needle) !== false) {
            $found[] = $needle;
        }
    }
    if ($found) {
        asebench_verdict('vulnerable', 'injected markup in the report: ' . implode(', ', $found));
    } else {
        asebench_verdict('safe', 'ticket fields were escaped');
    }
} catch (Throwable $e) {
    asebench_verdict('safe', 'render failed, nothing injected: ' . get_class($e) . ': ' . $e->getMessage());
}
