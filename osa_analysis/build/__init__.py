"""Running briefs.

Parameters, notebook execution, rendering, publishing, the index and the ``osa-briefs``
command line.
"""
