import os

# One BLAS/OpenMP thread per web process, before numpy is imported (see kompeten/cli.py).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
application = get_wsgi_application()
