"""Router: site."""

from fastapi import APIRouter

router = APIRouter()
