"""The database model: one table of queued work."""

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utcnow():
    return datetime.now(timezone.utc)


class Task(Base):
    __tablename__ = "task"

    id = Column(Integer, primary_key=True)
    message = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    done_at = Column(DateTime(timezone=True), nullable=True)
    # How often a worker ran it: more than 1 means a task was run twice (redelivered).
    runs = Column(Integer, nullable=False, default=0, server_default="0")

    def as_dict(self):
        return {
            "id": self.id,
            "message": self.message,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "done_at": self.done_at.isoformat() if self.done_at else None,
            "status": "done" if self.done_at else "queued",
            "runs": self.runs,
        }
