"""`make load`: many households at once, through the skill's real handler, on DynamoDB Local.

Each household is a thread playing whole first evenings with devtools.envelopes.Conversation
(the answers a willing couple gives, read from the stage the skill keeps in its session); the
threads are spread over several processes. Afterwards the table itself is read to check that
every completed check-in was recorded and counted exactly once, and nothing was lost.

    python -m loadtest                      # through lambda_handler, in 4 processes
    python -m loadtest --via http           # through the web service under gunicorn
    python -m loadtest --households 12 --processes 2 --quick   # the smoke run of the tests

Modules: households (what each household does), faults (store faults injected per household),
worker (one process of households), check (the table and the metrics afterwards), run (the
whole run: DynamoDB Local, the server, the workers, the report).
"""
