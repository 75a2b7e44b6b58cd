"""Legal authority: given a date and a situation, which party may do what, and why.

The layer sits on the knowledge base and knows nothing of Monte Carlo; its engine
arrives with the agreements-and-law issue. The import contracts already hold it
to its room.
"""
