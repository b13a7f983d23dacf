"""Router: data."""

from fastapi import APIRouter

router = APIRouter()
