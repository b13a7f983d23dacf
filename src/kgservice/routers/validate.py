"""Router: validate."""

from fastapi import APIRouter

router = APIRouter()
