    public function renderRow(array $ticket): string
    {
        $id = (int) $ticket['id'];
        $url = '/tickets/' . $id;
        $status = (string) $ticket['status'];
        return '<tr class="status-' . $this->e($status) . '">'
            . '<td>' . $id . '</td>'
            . '<td><a href="' . $this->e($url) . '">' . $this->e((string) $ticket['subject']) . '</a></td>'
            . '<td>' . $this->e((string) $ticket['requester']) . '</td>'
            . '<td>' . $this->e(ucfirst($status)) . '</td>'
            . "</tr>\n";
    }
