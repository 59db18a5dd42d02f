<?php

declare(strict_types=1);

// Shared by poc.php and test.php: print exactly one verdict line, even on a fatal error.

function asebench_verdict(string $verdict, string $detail): void
{
    static $done = false;
    if ($done) {
        return;
    }
    $done = true;
    echo json_encode(['verdict' => $verdict, 'detail' => $detail], JSON_UNESCAPED_SLASHES), "\n";
}

function asebench_guard(string $onFatal): void
{
    ini_set('display_errors', 'stderr');
    register_shutdown_function(function () use ($onFatal): void {
        $error = error_get_last();
        $why = $error === null ? 'stopped before a verdict' : $error['message'];
        asebench_verdict($onFatal, 'fatal error: ' . $why);
    });
}

/** Load the project's report class from the working directory (the candidate tree). */
function asebench_load_report(): void
{
    require_once getcwd() . '/src/HtmlReport.php';
}
