<?php
// Renders tickets with the candidate's HtmlReport and prints the HTML as JSON. The same
// program serves the PoC and the test: argv[1] is [title, tickets] as JSON.
require getcwd() . '/src/HtmlReport.php';
[$title, $tickets] = json_decode($argv[1], true);
$report = new Helpdesk\HtmlReport($title);
echo json_encode(['html' => $report->render($tickets), 'row' => $report->renderRow($tickets[0])]);
